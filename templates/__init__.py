"""Word templates (installed as ``toolkit.templates``) and the script that builds them."""
