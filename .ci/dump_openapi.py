"""Write the served OpenAPI document to a file, for the ADR linter.

Usage: python .ci/dump_openapi.py [OUTPUT]   (default: openapi.json)

The app is built in-process and asked for /api/v1/openapi.json, the document exactly as
it is served. A throwaway SQLite database is used so no database server is needed.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

# Run as a script, Python puts .ci/ on the path, not the repository root.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> int:
    output = Path(sys.argv[1] if len(sys.argv) > 1 else "openapi.json")
    with tempfile.TemporaryDirectory(prefix="handover-openapi-") as workdir:
        # Set before the app is imported: the engine is chosen from it at import time.
        os.environ["HANDOVER_DATABASE_URL"] = f"sqlite:///{workdir}/openapi.sqlite"

        from litestar.testing import TestClient

        from app.application import create_app

        with TestClient(app=create_app()) as client:
            response = client.get("/api/v1/openapi.json")
        if response.status_code != 200:
            print(
                f"GET /api/v1/openapi.json answered {response.status_code}: {response.text}",
                file=sys.stderr,
            )
            return 1
        document = response.json()

    output.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {output} ({len(document.get('paths', {}))} paths)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
