"""The one exception type the ETL layer raises.

Every failure a person may have to act on (a bad file, a wrong checksum, a missing
column) is an :class:`EtlError` with a stable snake_case ``code`` that the Django side
can match on, and a message in French and in English that can be shown as is.
"""


class EtlError(Exception):
    """An ETL failure with a stable code and a bilingual, human-readable message.

    ``str(error)`` gives ``"code: message_en"`` so logs and tracebacks stay readable.
    """

    def __init__(self, code: str, message_fr: str, message_en: str):
        # Keep all three in args so the error pickles (e.g. across worker processes).
        super().__init__(code, message_fr, message_en)
        self.code = code
        self.message_fr = message_fr
        self.message_en = message_en

    def __str__(self) -> str:
        return f"{self.code}: {self.message_en}"

    def message(self, lang: str = "fr") -> str:
        """The message in ``lang`` ("fr" or "en"); French for anything else but "en"."""
        return self.message_en if lang == "en" else self.message_fr
