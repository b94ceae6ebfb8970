"""The web board for the Văn phòng Sở: an adapter beside the chat channels (Starlette + Jinja2)."""
