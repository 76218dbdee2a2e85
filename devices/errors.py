"""Errors raised by monitor protocol code: the monitor's or the cable's fault, not ours."""


class DeviceError(Exception):
    """A monitor sent something the app cannot use; the session reports it and keeps running."""


class FrameError(DeviceError):
    """Bytes that do not form a frame of the protocol: bad framing, garbled or truncated."""


class ProtocolError(DeviceError):
    """A well-framed message whose content the protocol does not allow."""
