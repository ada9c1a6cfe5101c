"""The app's routes, one module per area: signing in, case pages, standards, administration."""
