"""Service positions: worker's homes, rest stations, bookrooms, visits, assessments."""
