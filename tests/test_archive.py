"""The downloadable archive of the data package."""

import zipfile

from scs_book.archive import write_archive
from scs_book.datapackage import data_dir, read_descriptor


def test_archive_holds_the_descriptor_and_every_resource(tmp_path):
    target = write_archive(data_dir(), tmp_path / "a.zip")
    names = zipfile.ZipFile(target).namelist()
    expected = {"datapackage.json", *(r["path"] for r in read_descriptor()["resources"])}
    assert {name.removeprefix("scs-book-data/") for name in names} == expected
    content = zipfile.ZipFile(target).read("scs-book-data/table1_surveilled_cities.csv")
    assert content == (data_dir() / "table1_surveilled_cities.csv").read_bytes()


def test_archive_is_byte_identical_across_builds(tmp_path):
    first = write_archive(data_dir(), tmp_path / "1.zip").read_bytes()
    second = write_archive(data_dir(), tmp_path / "2.zip").read_bytes()
    assert first == second


def test_writing_the_archive_does_not_load_pandas():
    """The build writes it after Jupyter Book, where importing pandas would cost a second."""
    import subprocess
    import sys

    code = (
        "import sys, tempfile, pathlib; from scs_book.archive import write_archive; "
        f"write_archive(pathlib.Path({str(data_dir())!r}), "
        "pathlib.Path(tempfile.mkdtemp()) / 'a.zip'); print('pandas' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
