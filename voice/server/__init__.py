"""The network edge: HTTP routes and the check-in websocket."""
