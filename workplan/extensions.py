"""The Flask extensions, created once and bound to the app in create_app()."""

from flask_babel import Babel
from flask_bootstrap import Bootstrap5
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData

# Named constraints keep migrations reviewable and let tests say which rule refused a row.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class CSRFProtectWithBadReferer(CSRFProtect):
    """Flask-WTF's protection, refusing a Referer it cannot parse as it refuses a foreign one.

    Over HTTPS Flask-WTF compares the Referer's port with the host's, and a port that is not a
    number (`https://host:x/`) raises ValueError there: a 500 for what is a forged request.
    """

    def protect(self, *args, **kwargs):
        try:
            return super().protect(*args, **kwargs)
        except ValueError:
            self._error_response("The referrer is not a valid address.")


db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING_CONVENTION))
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtectWithBadReferer()
bootstrap = Bootstrap5()
babel = Babel()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
