"""Two-way field tables between formats and the CSL record model."""
