"""Self-check functions for the exercises of each lesson, one module per lesson."""
