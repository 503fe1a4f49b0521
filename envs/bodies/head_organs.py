"""The sense organs a head carries besides its eyes, at the same names on every body so that the senses find them:
a snout (touch), a vestibular organ at the head's centre, two nostrils either side of the snout (smell) and two
ears either side of the head (hearing)."""

VESTIBULAR = "vestibular"
NOSTRILS = ("nostril_left", "nostril_right")
EARS = ("ear_left", "ear_right")


def add_head_organs(head, snout: str, snout_at: list[float], nostrils_at: list[float], ears_at: list[float]) -> None:
    """Add the organs' sites to the `head` body: the snout touch site `snout` at `snout_at`; the left nostril and
    ear at `nostrils_at` and `ears_at` (head frame, left is +y), the right ones mirrored."""
    invisible = [0, 0, 0, 0]
    head.add_site(name=snout, pos=snout_at, size=[0.03, 0, 0], rgba=invisible)
    head.add_site(name=VESTIBULAR, size=[0.01, 0, 0], rgba=invisible)
    for side, nostril, ear in zip((1, -1), NOSTRILS, EARS, strict=True):
        head.add_site(name=nostril, pos=[nostrils_at[0], side * nostrils_at[1], nostrils_at[2]], size=[0.005, 0, 0],
                      rgba=invisible)
        head.add_site(name=ear, pos=[ears_at[0], side * ears_at[1], ears_at[2]], size=[0.01, 0, 0], rgba=invisible)
