"""Real customers: the shop's own order export in, the day's mails, letters, ranks and report out.

``python build.py run --orders FILE`` (:mod:`otokui.customers.engine`) reads the export
(:mod:`~otokui.customers.readers`, :mod:`~otokui.customers.formats`, :mod:`~otokui.customers.encoding`),
regroups it by customer on disk (:mod:`~otokui.customers.spool`), decides per customer what is due
(:mod:`~otokui.customers.due`, ranks by :mod:`~otokui.customers.qualification`), renders it
(:mod:`~otokui.customers.mail`, :mod:`~otokui.customers.eml`, :mod:`~otokui.customers.letters`),
records it (:mod:`~otokui.customers.state`), reports it (:mod:`~otokui.customers.report`) and, if asked,
sends it (:mod:`~otokui.customers.smtp`).

The boundary for partitioned engines is :func:`otokui.customers.due.plan`: a pure function of the policy,
one customer's rows and that customer's history.
"""
