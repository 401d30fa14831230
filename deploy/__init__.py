"""What a gemeente's IT needs to run Veiligheidsbeeld as N replicas behind nginx (see README.md here)."""
