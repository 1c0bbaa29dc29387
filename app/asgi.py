"""The ASGI application uvicorn serves: ``uvicorn app.asgi:app``."""

from app.http.app import create_app

app = create_app()
