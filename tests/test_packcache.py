"""The compiled-pack cache: used when nothing changed, renewed when any file the pack loads
changes (wherever it lies, however named or linked), never trusted from a folder others can write."""

import os
import pickle

import pytest

from validator.rules import packcache
from validator.rules.pack import forget_loaded_packs, load_pack


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("FORMCHECK_CACHE", str(folder))
    forget_loaded_packs()
    yield folder
    forget_loaded_packs()


def _severity(pack, rule_id: str) -> str:
    return pack.rule(rule_id).severity


def test_a_loaded_pack_is_kept_and_found_again(cache, pack_copy):
    first = load_pack(str(pack_copy))
    key = packcache.fingerprint(pack_copy)
    assert (cache / f"{key}.pickle").exists()
    assert oct(cache.stat().st_mode & 0o777) == "0o700"
    again = packcache.get(key)
    assert [r.id for r in again.rules] == [r.id for r in first.rules]


def _lower_t3_staff(path):
    path.write_text(
        path.read_text(encoding="utf-8").replace("severity: warning", "severity: info", 1), encoding="utf-8"
    )


@pytest.mark.parametrize("where", ["inside", "outside the pack, named .yml", "through a linked folder"])
def test_editing_any_rule_file_the_pack_loads_recompiles_it(cache, pack_copy, tmp_path, where):
    source = pack_copy / "rules" / "support.yaml"
    if where == "inside":
        rule_file = source
    elif where == "outside the pack, named .yml":
        rule_file = tmp_path / "local" / "support.yml"
        rule_file.parent.mkdir()
        source.rename(rule_file)
        manifest = pack_copy / "pack.yaml"
        manifest.write_text(
            manifest.read_text(encoding="utf-8").replace("rules/support.yaml", "../local/support.yml"), encoding="utf-8"
        )
    else:
        real = tmp_path / "shared_rules"
        (pack_copy / "rules").rename(real)
        os.symlink(real, pack_copy / "rules")
        rule_file = real / "support.yaml"
    assert _severity(load_pack(str(pack_copy)), "T3-STAFF") == "warning"
    forget_loaded_packs()  # a new command, the same cache folder
    _lower_t3_staff(rule_file)
    assert _severity(load_pack(str(pack_copy)), "T3-STAFF") == "info"


def test_off_means_nothing_is_written(tmp_path, pack_copy, monkeypatch):
    monkeypatch.setenv("FORMCHECK_CACHE", "off")
    forget_loaded_packs()
    load_pack(str(pack_copy))
    assert packcache.get(packcache.fingerprint(pack_copy)) is None


@pytest.mark.parametrize("content", [b"not a pickle", pickle.dumps({"rules": []}), pickle.dumps(42)])
def test_a_damaged_or_foreign_entry_is_compiled_afresh(cache, pack_copy, content):
    cache.mkdir(mode=0o700)
    (cache / f"{packcache.fingerprint(pack_copy)}.pickle").write_bytes(content)
    assert len(load_pack(str(pack_copy)).rules) > 30


class Planted:
    """What a planted entry would run when unpickled."""

    def __reduce__(self):
        return (os.mkdir, ("/tmp/formcheck-planted-entry-ran",))


@pytest.mark.parametrize("loose", ["folder", "entry"])
def test_an_entry_others_could_write_is_never_loaded(cache, pack_copy, loose):
    marker = "/tmp/formcheck-planted-entry-ran"
    if os.path.exists(marker):
        os.rmdir(marker)
    cache.mkdir(mode=0o700)
    entry = cache / f"{packcache.fingerprint(pack_copy)}.pickle"
    entry.write_bytes(pickle.dumps(Planted()))
    os.chmod(cache if loose == "folder" else entry, 0o777 if loose == "folder" else 0o666)
    assert len(load_pack(str(pack_copy)).rules) > 30
    assert not os.path.exists(marker)


def test_one_compiled_pack_serves_every_language(cache, pack_copy, monkeypatch):
    from validator.rules import pack as pack_module

    compiled = []
    compile_pack = pack_module.compile_pack
    monkeypatch.setattr(pack_module, "compile_pack", lambda *args: compiled.append(args[0]) or compile_pack(*args))
    first, again = load_pack(str(pack_copy)), load_pack(str(pack_copy))
    assert first is again and compiled == [pack_copy]
    assert [t.origin_in(lang) for t in (first.rule("T4-5"),) for lang in ("zh", "en")] == ["表4 注5", "Form 4 note 5"]
    assert len(list(cache.glob("*.pickle"))) == 1


def test_a_broken_pack_is_said_in_the_language_it_is_said_in(cache, pack_copy):
    from validator.i18n import said
    from validator.rules.packfile import PackError

    manifest = pack_copy / "pack.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "disable: [T9-NONE]\n", encoding="utf-8")
    with pytest.raises(PackError) as caught:
        load_pack(str(pack_copy))
    for lang, words in (("en", "is no rule of this pack"), ("zh", "不是本规则包或其所扩展规则包中的规则")):
        assert words in said(caught.value.said, lang)
    assert "不是本规则包" in str(caught.value)  # the exception itself in Chinese, the default
    assert not list(cache.glob("*.pickle"))
