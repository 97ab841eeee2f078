"""Orders regrouped by customer without holding them all: a temporary SQLite file in the run folder.

Exports list orders by date; the per-customer step needs each customer's orders together. Orders and
customer records are appended to an on-disk table as they are read and come back sorted by customer,
one customer at a time, so memory stays flat however many customers the shop has. The file lives in
the private run folder and is removed when the run ends.
"""

from __future__ import annotations

import os
import pickle
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from otokui.customers.records import Customer, Order, Rows

BATCH = 2000


class Spool:
    def __init__(self, folder: Path) -> None:
        handle, name = tempfile.mkstemp(prefix=".spool-", suffix=".sqlite", dir=folder)
        os.close(handle)
        self.path = Path(name)
        self.db = sqlite3.connect(self.path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=OFF")
        self.db.execute("PRAGMA synchronous=OFF")
        self.db.execute("CREATE TABLE orders (customer TEXT, placed TEXT, seq INTEGER, data BLOB)")
        self.db.execute("CREATE TABLE customers (customer TEXT PRIMARY KEY, data BLOB)")
        self.seq = 0

    def add_orders(self, orders: Iterable[Order]) -> None:
        batch: list[tuple[str, str, int, bytes]] = []
        self.db.execute("BEGIN")
        for order in orders:
            self.seq += 1
            batch.append((order.customer, order.placed.isoformat(), self.seq, pickle.dumps(order, protocol=5)))
            if len(batch) >= BATCH:
                self.db.executemany("INSERT INTO orders VALUES (?, ?, ?, ?)", batch)
                batch.clear()
        self.db.executemany("INSERT INTO orders VALUES (?, ?, ?, ?)", batch)
        self.db.execute("COMMIT")

    def add_parsed(self, orders: Iterable[tuple[str, str, bytes]]) -> None:
        """Orders already pickled (by a worker): (customer key, date, pickled order)."""
        batch: list[tuple[str, str, int, bytes]] = []
        self.db.execute("BEGIN")
        for customer, placed, data in orders:
            self.seq += 1
            batch.append((customer, placed, self.seq, data))
            if len(batch) >= BATCH:
                self.db.executemany("INSERT INTO orders VALUES (?, ?, ?, ?)", batch)
                batch.clear()
        self.db.executemany("INSERT INTO orders VALUES (?, ?, ?, ?)", batch)
        self.db.execute("COMMIT")

    def add_customers(self, customers: Iterable[Customer]) -> None:
        self.db.execute("BEGIN")
        self.db.executemany(
            "INSERT OR REPLACE INTO customers VALUES (?, ?)",
            ((c.key, pickle.dumps(c, protocol=5)) for c in customers),
        )
        self.db.execute("COMMIT")

    def customers(self) -> int:
        return int(self.db.execute("SELECT COUNT(DISTINCT customer) FROM orders").fetchone()[0])

    def packed_groups(self) -> Iterator[tuple[str, bytes | None, list[bytes]]]:
        """Like :meth:`groups`, still pickled (for a worker to unpickle): key, customer record, orders."""
        self.db.execute("CREATE INDEX IF NOT EXISTS by_customer ON orders (customer, placed, seq)")
        query = (
            "SELECT o.customer, o.data, c.data FROM orders o LEFT JOIN customers c ON c.customer = o.customer"
            " ORDER BY o.customer, o.placed, o.seq"
        )
        key: str | None = None
        customer: bytes | None = None
        orders: list[bytes] = []
        for found, data, customer_data in self.db.execute(query):
            if found != key:
                if key is not None:
                    yield key, customer, orders
                key, customer, orders = found, customer_data, []
            orders.append(data)
        if key is not None:
            yield key, customer, orders

    def groups(self) -> Iterator[Rows]:
        """Each customer's rows, customers in key order, orders oldest first."""
        self.db.execute("CREATE INDEX IF NOT EXISTS by_customer ON orders (customer, placed, seq)")
        query = (
            "SELECT o.customer, o.data, c.data FROM orders o LEFT JOIN customers c ON c.customer = o.customer"
            " ORDER BY o.customer, o.placed, o.seq"
        )
        current: Rows | None = None
        for key, data, customer_data in self.db.execute(query):
            if current is None or current.customer.key != key:
                if current is not None:
                    yield current
                current = Rows(_customer(key, customer_data))
            current.orders.append(pickle.loads(data))
        if current is not None:
            yield current

    def close(self) -> None:
        self.db.close()
        self.path.unlink(missing_ok=True)


def _customer(key: str, data: bytes | None) -> Customer:
    return pickle.loads(data) if data else Customer(key=key)
