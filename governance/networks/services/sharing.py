"""The author of a post shares it with a network of their circle (off by default), and
members of the network's other circles respond in the same private conversation."""


def post_share(*, post, author, network):
    raise NotImplementedError


def post_unshare(*, post, author, network) -> None:
    raise NotImplementedError


def shared_response_create(*, post, responder, text: str):
    raise NotImplementedError
