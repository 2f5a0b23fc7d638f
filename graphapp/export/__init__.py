"""What graphapp writes for people outside the app: formula-safe CSV, weekly lists (CSV, HTML, Markdown) and
DOT drawings of paths. Plain text in, plain text out."""
