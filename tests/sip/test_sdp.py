"""The SDP we write and what we read from peers (SIPp, baresip, garbage)."""

import random

from hotline.sip import sdp
from hotline.sip.media import PCMA, PCMU

BARESIP = (
    "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
    "m=audio 10000 RTP/AVP 8 0 101\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:0 PCMU/8000\r\n"
    "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\na=sendrecv\r\n"
    "m=video 10002 RTP/AVP 96\r\nc=IN IP4 10.0.0.9\r\n"
)


def test_reads_the_first_audio_stream() -> None:
    offer = sdp.parse(BARESIP)
    assert offer == sdp.AudioOffer("127.0.0.1", 10000, (8, 0, 101), 101, "sendrecv")
    assert offer.codec() == PCMA


def test_media_level_address_wins_and_hold_is_seen() -> None:
    text = BARESIP.replace("a=sendrecv", "c=IN IP4 192.0.2.7\r\na=sendonly")
    offer = sdp.parse(text)
    assert offer is not None
    assert (offer.address, offer.direction) == ("192.0.2.7", "sendonly")


def test_what_we_write_reads_back() -> None:
    text = sdp.build("127.0.0.1", 40000, PCMU, 101)
    assert sdp.parse(text) == sdp.AudioOffer("127.0.0.1", 40000, (0, 101), 101)
    assert "telephone-event" not in sdp.build("127.0.0.1", 40000, PCMA, None)


def test_unusable_offers() -> None:
    assert sdp.parse("") is None
    assert sdp.parse("v=0\r\nc=IN IP4 1.2.3.4\r\nm=video 5 RTP/AVP 96\r\n") is None
    assert sdp.parse("m=audio 5 RTP/AVP 0\r\n") is None  # no address
    offer = sdp.parse("c=IN IP4 1.2.3.4\r\nm=audio 5 RTP/AVP 18 9\r\n")
    assert offer is not None
    assert offer.codec() is None  # no G.711: the switch answers 488


def test_garbage_never_raises() -> None:
    rng = random.Random(6)
    for _ in range(2000):
        lines = BARESIP.splitlines()
        for _ in range(3):
            i = rng.randrange(len(lines))
            lines[i] = "".join(
                rng.choice("=:/ amcv0123456789xyz\x00é") for _ in range(rng.randrange(12))
            )
        sdp.parse("\n".join(lines))


def test_a_connection_address_must_be_an_ip_literal_of_its_type() -> None:
    """A host name is never taken (it would be resolved by DNS on the engine's loop)."""
    for address in ("example.com", "localhost", "1.2.3", "01.2.3.4", "::1", "١.٢.٣.٤"):
        assert (
            sdp.parse(BARESIP.replace("IN IP4 127.0.0.1\r\nt=", f"IN IP4 {address}\r\nt=")) is None
        )
    media_level = BARESIP.replace("a=sendrecv", "c=IN IP4 example.com\r\na=sendrecv")
    assert sdp.parse(media_level) is None  # it overrides the session's literal
    six = "c=IN IP6 2001:DB8::0:7\r\nm=audio 5 RTP/AVP 0\r\n"
    assert sdp.parse(six) == sdp.AudioOffer("2001:db8::7", 5, (0,), None)  # normalized
    assert sdp.parse(six.replace("IP6", "IP4")) is None
    assert sdp.parse(six.replace("::0:7", "::7%eth0")) is None
