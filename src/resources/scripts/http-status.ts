// The one HTTP helper the inline handlers that request the service share (the smoke-test hook and
// the synthetic probe): GET without following redirects, the status or the reason there is none.
// Python text the handlers interpolate after their imports (urllib.error, urllib.request).

export const HTTP_STATUS_HELPER = `class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirects)


def status_of(url, timeout, headers=None):
    """The HTTP status of GET url, or the reason there is none."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with OPENER.open(request, timeout=timeout) as answer:
            return answer.status, None
    except urllib.error.HTTPError as error:
        return error.code, None
    except (urllib.error.URLError, OSError) as error:
        return None, str(getattr(error, 'reason', error))`;
