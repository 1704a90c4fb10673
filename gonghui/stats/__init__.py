"""Statistics: indicators declared by each module, the dashboard with drill-down, tables and the work report."""
