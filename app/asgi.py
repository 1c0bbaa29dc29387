"""The ASGI application uvicorn serves: ``uvicorn app.asgi:app``."""

from app.application import create_app

app = create_app()
