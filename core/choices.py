"""The label of a value among a model's choices."""


def choice_label(choices, value):
    """What Django's get_FOO_display() says: the label of ``value`` among ``choices``
    (a TextChoices), in the current language, or ``value`` itself if it is none of them."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value
