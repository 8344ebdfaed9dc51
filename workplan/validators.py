"""Form validators the features share: safe links, time zones, currencies."""

from flask_babel import gettext as _
from wtforms.validators import ValidationError

from workplan.formatting import lazy_gettext as _l
from workplan.services.checks import currency_codes, is_http_url, time_zones


class HttpUrl:
    """A link that is an http or https address."""

    message = _l("Give a web address starting with http:// or https://.")

    def __call__(self, form, field):
        if field.data and not is_http_url(field.data):
            raise ValidationError(self.message)


class TimeZone:
    """An IANA time zone name such as Europe/Zurich."""

    def __call__(self, form, field):
        if field.data and field.data not in time_zones():
            raise ValidationError(
                _(
                    "“%(name)s” is not a time zone name. Use a name such as Europe/Zurich "
                    "or America/New_York.",
                    name=field.data,
                )
            )


class CurrencyCode:
    """An ISO 4217 currency code such as USD, EUR or CHF."""

    def __call__(self, form, field):
        if field.data:
            field.data = field.data.strip().upper()
            if field.data not in currency_codes():
                raise ValidationError(
                    _(
                        "“%(code)s” is not an ISO 4217 currency code (for example USD, EUR, CHF).",
                        code=field.data,
                    )
                )
