"""Reading: a file through the gate (intake), its zip and sheets, the grids, the forms — a Return."""
