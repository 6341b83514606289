"""An instance set up with `init`: offices on their own host names, and an office's own
templates replacing the built-in ones."""
import os
import subprocess
import tempfile

import requests

from conftest import BINARY, Server


def init(data, *args):
    subprocess.run([BINARY, "init", "--data", data, *args], check=True, capture_output=True)


def test_office_by_host_name_and_template_override():
    with tempfile.TemporaryDirectory(prefix="nb-inst-") as data:
        init(data, "--office", "erstes", "--name", "Amt Erstes")
        init(data, "--office", "zweites", "--name", "Amt Zweites", "--land", "SN",
             "--host", "zweites.example")
        override = os.path.join(data, "offices", "erstes", "templates")
        os.makedirs(override)
        with open(os.path.join(override, "foot.mustache"), "w") as f:
            f.write("</main><footer><p>Eigene Fußzeile von {{office.name}}</p></footer></body></html>\n")
        server = Server(["serve"], data)
        try:
            first = requests.get(server.url("/"))
            assert first.status_code == 200
            assert "Amt Erstes" in first.text
            assert "Eigene Fußzeile von Amt Erstes" in first.text
            second = requests.get(server.url("/"), headers={"Host": "zweites.example"})
            assert second.status_code == 200
            assert "Amt Zweites" in second.text and "Amt Erstes" not in second.text
            assert "Eigene Fußzeile" not in second.text  # the override is the first office's only
            # A port in the Host header and upper case still find the office.
            third = requests.get(server.url("/index.json"), headers={"Host": "Zweites.Example:8080"})
            assert third.json()["office"]["slug"] == "zweites"
            # Sachsen's Buß- und Bettag comes from the Land of the office answering.
            days = requests.get(server.url("/api/v1/holidays/2021"),
                                headers={"Host": "zweites.example"}).json()
            assert {"date": "2021-11-17", "name": "Buß- und Bettag"} in days
            # An office on its own host is not also served under /slug/.
            assert requests.get(server.url("/zweites/")).status_code == 404
        finally:
            assert server.stop() == 0


def test_bad_override_template_refuses_to_start():
    with tempfile.TemporaryDirectory(prefix="nb-inst-") as data:
        init(data, "--office", "erstes", "--name", "Amt Erstes")
        override = os.path.join(data, "offices", "erstes", "templates")
        os.makedirs(override)
        with open(os.path.join(override, "index.mustache"), "w") as f:
            f.write("{{#unclosed}}\n")
        proc = subprocess.run([BINARY, "serve", "--data", data, "--listen", "127.0.0.1:0"],
                              capture_output=True, timeout=30)
        assert proc.returncode == 1
        assert b"index.mustache:1: section 'unclosed' is not closed" in proc.stderr
