"""The browser app's pages: each a short script over ``graphapp.service``."""
