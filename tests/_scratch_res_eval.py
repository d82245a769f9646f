"""Scratch: load a synth scenario into the test server and measure resolution (run under pytest)."""
import json, time
from graphnet.loading import load_plan
from graphnet.resolution import resolve
from graphnet.resolution.evaluate import evaluate

def test_measure(db, tmp_path):
    from graphnet.synth import generate
    import os
    seed = int(os.environ.get("SEED", "7"))
    generate(tmp_path / "s", preset="province", seed=seed)
    t = time.time()
    load_plan(db, tmp_path / "s" / "load-plan.yaml", rejects_dir=tmp_path)
    print("load", time.time() - t)
    for th in [float(x) for x in os.environ.get("THS", "0.92").split(",")]:
        t = time.time()
        rep = resolve(db, threshold=th)
        print("resolve", th, time.time() - t, rep.records, rep.applied_by_rule(), "proposed", len(rep.proposed), "conflicts", len(rep.conflicts), "shared", len(rep.shared_phones))
        ev = evaluate(db, tmp_path / "s" / "truth.json")
        d = ev.as_dict()
        print(json.dumps({k: v for k, v in d.items() if "examples" not in k}))
        print("FP", ev.false_positive_examples[:10])
        print("FN", ev.false_negative_examples[:10])
        names = {r["uid"]: (r["name"], r["bd"], r["nik"]) for r in db.read("MATCH (p:Person) RETURN p.uid AS uid, p.name AS name, toString(p.birth_date) AS bd, p.nik AS nik")}
        for a, b in ev.false_positive_examples[:10]:
            print("  fp", a, names.get(a), "|", b, names.get(b))
        for a, b in ev.false_negative_examples[:10]:
            print("  fn", a, names.get(a), "|", b, names.get(b))
