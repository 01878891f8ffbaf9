"""Writes PEP 427 wheels with the standard library only: METADATA, WHEEL, optional entry_points.txt and a RECORD
that lists every other member with its urlsafe-base64 sha256 and size. Invariant: the archive is reproducible
(fixed timestamps and modes, members in the given order, deflate level 6, as level 9 is 3x slower for 0.5%)
and RECORD is always the last member, hashing the exact bytes stored."""

from __future__ import annotations

import base64
import hashlib
import os
import re
import stat
import zipfile
from dataclasses import dataclass, field
from typing import Iterable, List, Optional, Sequence, Tuple

ZIP_EPOCH = (2020, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Member:
    """One file inside the wheel: its archive path, its bytes, and whether it is executable."""

    arcname: str
    data: bytes
    executable: bool = False


@dataclass
class Metadata:
    """The core metadata shared by every wheel of one release (uv insists they are identical)."""

    name: str
    version: str
    summary: str
    license_expression: str
    requires_python: str
    readme: str
    readme_content_type: str = "text/markdown"
    keywords: Sequence[str] = ()
    classifiers: Sequence[str] = ()
    project_urls: Sequence[Tuple[str, str]] = ()
    license_files: Sequence[str] = ()
    requires_dist: Sequence[str] = field(default_factory=tuple)

    def render(self) -> bytes:
        lines: List[str] = [
            "Metadata-Version: 2.4",
            f"Name: {self.name}",
            f"Version: {self.version}",
            f"Summary: {self.summary}",
        ]
        if self.keywords:
            lines.append("Keywords: " + ",".join(self.keywords))
        lines.append(f"License-Expression: {self.license_expression}")
        lines.extend(f"License-File: {name}" for name in self.license_files)
        lines.extend(f"Classifier: {c}" for c in self.classifiers)
        lines.extend(f"Project-URL: {label}, {url}" for label, url in self.project_urls)
        lines.append(f"Requires-Python: {self.requires_python}")
        lines.extend(f"Requires-Dist: {r}" for r in self.requires_dist)
        lines.append(f"Description-Content-Type: {self.readme_content_type}")
        body = self.readme if self.readme.endswith("\n") else self.readme + "\n"
        return ("\n".join(lines) + "\n\n" + body).encode("utf-8")


def record_hash(data: bytes) -> str:
    digest = hashlib.sha256(data).digest()
    return "sha256=" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def normalize_dist_name(name: str) -> str:
    """The file-name form of a project name (PEP 427 / binary distribution format): runs of -_. become _."""
    return re.sub(r"[-_.]+", "_", name).lower()


_SEMVER = re.compile(r"^(\d+)\.(\d+)\.(\d+)(?:-(alpha|beta|rc)\.(\d+))?$")


def pep440_version(npm_version: str) -> str:
    """Maps the root package.json semver (1.2.3 or 1.2.3-alpha.N/beta.N/rc.N) to PEP 440; anything else is refused."""
    m = _SEMVER.match(npm_version)
    if not m:
        raise ValueError(f"version {npm_version!r} is not X.Y.Z or X.Y.Z-(alpha|beta|rc).N")
    core = ".".join(m.group(i) for i in (1, 2, 3))
    if m.group(4) is None:
        return core
    return core + {"alpha": "a", "beta": "b", "rc": "rc"}[m.group(4)] + m.group(5)


def expand_tags(tag: str) -> List[str]:
    py, abi, plat = tag.split("-")
    return [f"{p}-{a}-{pl}" for p in py.split(".") for a in abi.split(".") for pl in plat.split(".")]


def write_wheel(
    outdir: str,
    meta: Metadata,
    tag: str,
    members: Iterable[Member],
    entry_points: Optional[str] = None,
    license_texts: Sequence[Tuple[str, bytes]] = (),
) -> str:
    """Writes `<dist>-<version>-<tag>.whl` into outdir (atomically) and returns its path."""
    dist = normalize_dist_name(meta.name)
    dist_info = f"{dist}-{meta.version}.dist-info"
    purelib = tag.endswith("-none-any")
    wheel_file = (
        "Wheel-Version: 1.0\n"
        "Generator: ai-blame python-dist/build.py\n"
        f"Root-Is-Purelib: {'true' if purelib else 'false'}\n"
        + "".join(f"Tag: {t}\n" for t in expand_tags(tag))
    )
    entries: List[Member] = list(members)
    entries.extend(Member(f"{dist_info}/licenses/{name}", data) for name, data in license_texts)
    entries.append(Member(f"{dist_info}/METADATA", meta.render()))
    entries.append(Member(f"{dist_info}/WHEEL", wheel_file.encode("utf-8")))
    if entry_points:
        entries.append(Member(f"{dist_info}/entry_points.txt", entry_points.encode("utf-8")))
    seen = set()
    for e in entries:
        if e.arcname in seen or e.arcname.startswith("/") or ".." in e.arcname.split("/"):
            raise ValueError(f"bad or duplicate wheel member {e.arcname!r}")
        seen.add(e.arcname)
    record_path = f"{dist_info}/RECORD"
    record = "".join(f"{e.arcname},{record_hash(e.data)},{len(e.data)}\n" for e in entries) + f"{record_path},,\n"
    entries.append(Member(record_path, record.encode("utf-8")))

    os.makedirs(outdir, exist_ok=True)
    final = os.path.join(outdir, f"{dist}-{meta.version}-{tag}.whl")
    tmp = final + ".tmp"
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        for e in entries:
            info = zipfile.ZipInfo(e.arcname, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so installers honour the mode bits below
            info.external_attr = (stat.S_IFREG | (0o755 if e.executable else 0o644)) << 16
            z.writestr(info, e.data, compresslevel=6)
    os.replace(tmp, final)
    return final


def verify_wheel(path: str) -> List[str]:
    """Re-reads a wheel and returns a list of problems with its RECORD (empty when every hash and size matches)."""
    problems: List[str] = []
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        records = [n for n in names if n.endswith(".dist-info/RECORD")]
        if len(records) != 1:
            return [f"{path}: expected one RECORD, found {len(records)}"]
        listed = {}
        for line in z.read(records[0]).decode("utf-8").splitlines():
            arc, digest, size = line.rsplit(",", 2)
            listed[arc] = (digest, size)
        for name in names:
            if name not in listed:
                problems.append(f"{name} is not in RECORD")
                continue
            if name == records[0]:
                continue
            data = z.read(name)
            digest, size = listed[name]
            if digest != record_hash(data) or size != str(len(data)):
                problems.append(f"{name}: RECORD hash or size does not match")
        problems.extend(f"{arc} is in RECORD but not in the archive" for arc in listed if arc not in names)
    return problems
