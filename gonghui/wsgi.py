import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gonghui.settings.production")
application = get_wsgi_application()

# Keys checked at the door: malformed keys, or keys this database was not written with, stop the
# start with one line naming the key (gunicorn halts on the boot error) instead of serving 500s.
from gonghui.core.keycheck import refuse_to_serve_with_wrong_keys  # noqa: E402

refuse_to_serve_with_wrong_keys()
