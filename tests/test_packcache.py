"""The compiled-pack cache: used when nothing changed, renewed when a pack file changes, off on request."""



from validator import packcache
from validator.pack import load_pack


def test_a_loaded_pack_is_kept_and_found_again(tmp_path, pack_copy, monkeypatch):
    monkeypatch.setenv("FORMCHECK_CACHE", str(tmp_path / "cache"))
    load_pack.cache_clear()
    first = load_pack(str(pack_copy))
    key = packcache.fingerprint(pack_copy, "zh")
    assert (tmp_path / "cache" / f"{key}.pickle").exists()
    again = packcache.get(key)
    assert [r.id for r in again.rules] == [r.id for r in first.rules]


def test_a_changed_pack_file_gets_a_new_key(pack_copy):
    before = packcache.fingerprint(pack_copy, "zh")
    path = pack_copy / "rules" / "support.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("severity: warning", "severity: info", 1), encoding="utf-8")
    assert packcache.fingerprint(pack_copy, "zh") != before
    assert packcache.fingerprint(pack_copy, "en") != packcache.fingerprint(pack_copy, "zh")


def test_off_means_nothing_is_written(tmp_path, pack_copy, monkeypatch):
    monkeypatch.setenv("FORMCHECK_CACHE", "off")
    load_pack.cache_clear()
    load_pack(str(pack_copy))
    assert packcache.get(packcache.fingerprint(pack_copy, "zh")) is None


def test_a_damaged_entry_is_compiled_afresh(tmp_path, pack_copy, monkeypatch):
    monkeypatch.setenv("FORMCHECK_CACHE", str(tmp_path))
    (tmp_path / f"{packcache.fingerprint(pack_copy, 'zh')}.pickle").write_bytes(b"not a pickle")
    load_pack.cache_clear()
    assert len(load_pack(str(pack_copy)).rules) > 30
