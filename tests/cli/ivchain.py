#!/usr/bin/env python3
"""An auditor's independent implementation of invadj's row hashes
(docs/schema.md), from `invadj export` alone, with Python's hashlib.

  ivchain.py audit EXPORT.csv
      Recomputes every row's hash from its fields and checks every link
      (each row's PrevHash is the hash of the row before it in its chain).
  ivchain.py rechain EXPORT.csv --dialect sqlite|pg
      What a forger does after changing rows: recomputes every version-2
      hash in chain order and prints the UPDATE statements that make the
      chains agree again.
  ivchain.py forge EXPORT.csv --dialect sqlite|pg FIELD=VALUE...
      Appends a row to a store's chain as any writer could, with a valid
      hash: prints its INSERT and the additions to the sums.  FIELDs:
      store, item_id, item, reason_id, reason, user_id, user, approver_id,
      approver, diff, tdate, recorded_at, memo, reverses, batch.

Used by the tamper tests (tests/cli/test_tamper.sh); no invadj code."""
import csv
import hashlib
import sys

ZERO = bytes(32)


def ns(value):
    data = value if isinstance(value, bytes) else str(value).encode()
    return str(len(data)).encode() + b":" + data + b","


def row_hash(r, prev):
    """The hash of an export row r (a dict) chained to prev (bytes)."""
    if r["HashVersion"] == "1":
        text = "|".join([r["Id"], r["Document"], r["StoreId"], r["ItemId"], r["ReasonId"], r["Diff"],
                         r["TransactionDate"], r["RecordedAt"], r["UserId"], r["ApproverId"] or "0",
                         r["Reverses"] or "0", r["BatchId"] or "0"]) + "|"
        return hashlib.blake2b(prev + text.encode() + r["Memo"].encode(), digest_size=32).digest()
    fields = ["2", r["StoreCode"], r["Seq"], r["Id"], r["Document"], r["StoreId"], r["StoreCode"],
              r["ItemId"], r["ItemNumber"], r["ReasonId"], r["ReasonCode"], r["Diff"],
              r["TransactionDate"], r["RecordedAt"], r["UserId"], r["User"], r["ApproverId"],
              r["ApprovedBy"] if r["ApproverId"] else "", r["Reverses"], r["BatchId"], r["Memo"]]
    return hashlib.blake2b(b"".join(ns(f) for f in fields) + ns(prev), digest_size=32).digest()


def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def audit(path):
    rows = read(path)
    chain_prev = {}  # store id -> (seq, hash) of its last row
    v1_prev = (0, ZERO)
    for r in rows:
        where = "row #%s (store %s, seq %s)" % (r["Id"], r["StoreCode"], r["Seq"])
        seq, last = chain_prev.get(r["StoreId"], (0, ZERO))
        if int(r["Seq"]) != seq + 1:
            return "%s: not the next place of its chain (%d)" % (where, seq + 1)
        if r["HashVersion"] == "1":
            if int(r["Id"]) != v1_prev[0] + 1:
                return "%s: not the next version-1 row" % where
            want_prev = v1_prev[1]
        else:
            want_prev = last
        if bytes.fromhex(r["PrevHash"]) != want_prev:
            return "%s: its PrevHash is not the hash of the row before it in its chain" % where
        h = row_hash(r, want_prev)
        if h.hex() != r["Hash"]:
            return "%s: its hash is not the hash of its fields" % where
        chain_prev[r["StoreId"]] = (int(r["Seq"]), h)
        if r["HashVersion"] == "1":
            v1_prev = (int(r["Id"]), h)
    return None, len(rows)


def blob(h, dialect):
    return "X'%s'" % h.hex() if dialect == "sqlite" else "decode('%s', 'hex')" % h.hex()


def rechain(path, dialect):
    rows = read(path)
    last = {}
    out = []
    for r in rows:
        prev = last.get(r["StoreId"], ZERO) if r["HashVersion"] == "2" else bytes.fromhex(r["PrevHash"])
        h = row_hash(r, prev) if r["HashVersion"] == "2" else bytes.fromhex(r["Hash"])
        if h.hex() != r["Hash"]:
            out.append("UPDATE ledger SET hash = %s WHERE id = %s;" % (blob(h, dialect), r["Id"]))
        last[r["StoreId"]] = h
    return out


def quote(v):
    return "'" + str(v).replace("'", "''") + "'"


def forge(path, dialect, args):
    rows = read(path)
    given = dict(a.split("=", 1) for a in args)
    store = given["store"]
    mine = [r for r in rows if r["StoreCode"] == store]
    store_id = mine[-1]["StoreId"]
    new_id = max(int(r["Id"]) for r in rows) + 1
    r = {
        "Id": str(new_id), "Document": str(new_id), "Seq": str(int(mine[-1]["Seq"]) + 1),
        "StoreId": store_id, "StoreCode": store,
        "ItemId": given["item_id"], "ItemNumber": given["item"],
        "ReasonId": given["reason_id"], "ReasonCode": given["reason"],
        "Diff": given["diff"], "TransactionDate": given["tdate"], "RecordedAt": given["recorded_at"],
        "UserId": given["user_id"], "User": given["user"],
        "ApproverId": given.get("approver_id", ""), "ApprovedBy": given.get("approver", ""),
        "Reverses": given.get("reverses", ""), "BatchId": given.get("batch", ""),
        "Memo": given.get("memo", ""), "HashVersion": "2",
    }
    h = row_hash(r, bytes.fromhex(mine[-1]["Hash"]))
    null = lambda v: v if v else "NULL"
    q = ["INSERT INTO ledger(id, document, store_id, item_id, reason_id, diff, tdate, recorded_at, "
         "user_id, approved_by, reverses, batch_id, memo, hash, seq, item_number, hash_version) "
         "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, 2);" % (
             r["Id"], r["Document"], store_id, r["ItemId"], r["ReasonId"], r["Diff"],
             quote(r["TransactionDate"]), quote(r["RecordedAt"]), r["UserId"], null(r["ApproverId"]),
             null(r["Reverses"]), null(r["BatchId"]), quote(r["Memo"]), blob(h, dialect), r["Seq"],
             quote(r["ItemNumber"]))]
    s, i, d, u, q_ = store_id, r["ItemId"], quote(r["TransactionDate"]), r["UserId"], r["Diff"]
    q.append("INSERT INTO balances(store_id, item_id, qty) VALUES (%s, %s, %s) ON CONFLICT (store_id, "
             "item_id) DO UPDATE SET qty = balances.qty + excluded.qty;" % (s, i, q_))
    q.append("INSERT INTO day_totals(store_id, item_id, tdate, diff) VALUES (%s, %s, %s, %s) ON CONFLICT "
             "(store_id, item_id, tdate) DO UPDATE SET diff = day_totals.diff + excluded.diff;" % (s, i, d, q_))
    q.append("INSERT INTO user_days(store_id, item_id, tdate, user_id, diff) VALUES (%s, %s, %s, %s, %s) "
             "ON CONFLICT (store_id, item_id, tdate, user_id) DO UPDATE SET diff = user_days.diff + "
             "excluded.diff;" % (s, i, d, u, q_))
    q += summaries(1, s, i, d, r["ReasonId"], u, 1 if r["Reverses"] else 0, q_)
    if r["Reverses"]:
        # the reversed row moves to the cancelled sums, as invadj moves it
        o = [x for x in rows if x["Id"] == r["Reverses"]][0]
        for sign, cancelled in ((-1, 0), (1, 1)):
            q += summaries(sign, o["StoreId"], o["ItemId"], quote(o["TransactionDate"]), o["ReasonId"],
                           o["UserId"], cancelled, o["Diff"])
    return q


def summaries(sign, s, i, d, reason, user, cancelled, diff):
    """A line added to (sign 1) or taken from (-1) the report summaries,
    valued at the cost in force on its date as invadj values it."""
    diff = int(diff)
    cost = "(SELECT unit_cost FROM item_costs WHERE item_id = %s AND effective <= %s " \
           "ORDER BY effective DESC LIMIT 1)" % (i, d)
    sums = "%d, %d, %d, %d * coalesce(%d * %s, 0), %d * (CASE WHEN %s IS NULL THEN 1 ELSE 0 END)" % (
        sign, sign * max(diff, 0), sign * max(-diff, 0), sign, diff, cost, sign, cost)
    add = "lines = %s.lines + excluded.lines, added = %s.added + excluded.added, " \
          "removed = %s.removed + excluded.removed, value = %s.value + excluded.value, " \
          "unvalued = %s.unvalued + excluded.unvalued"
    return [
        "INSERT INTO report_items(tdate, store_id, item_id, reason_id, user_id, cancelled, lines, added, "
        "removed, value, unvalued) VALUES (%s, %s, %s, %s, %s, %d, %s) ON CONFLICT (tdate, store_id, "
        "item_id, reason_id, user_id, cancelled) DO UPDATE SET %s;" % (
            d, s, i, reason, user, cancelled, sums, add % (("report_items",) * 5)),
        "INSERT INTO report_days(tdate, store_id, reason_id, user_id, cancelled, lines, added, "
        "removed, value, unvalued) VALUES (%s, %s, %s, %s, %d, %s) ON CONFLICT (tdate, store_id, "
        "reason_id, user_id, cancelled) DO UPDATE SET %s;" % (
            d, s, reason, user, cancelled, sums, add % (("report_days",) * 5)),
    ]


def main(argv):
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    cmd, path = argv[1], argv[2]
    dialect = "sqlite"
    rest = argv[3:]
    if rest[:1] == ["--dialect"]:
        dialect, rest = rest[1], rest[2:]
    if cmd == "audit":
        result = audit(path)
        if isinstance(result, str):
            print(result)
            return 1
        print("%d rows, every hash and link holds" % result[1])
        return 0
    if cmd == "rechain":
        print("\n".join(rechain(path, dialect)))
        return 0
    if cmd == "forge":
        print("\n".join(forge(path, dialect, rest)))
        return 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
