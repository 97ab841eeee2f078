"""What a policy costs to build, refused before any of it is built.

A valid policy can still ask for far more than any shop needs: 1,000
purchase-count tiers make 32,000 email variants, minutes of rendering and
gigabytes of output. Two limits, both in the policy's ``build:`` section,
keep a build in proportion:

- ``build.max_variants`` (default 5,000): email variants, that is kinds ×
  locales × purchase-count tiers × (ranks, or 1 + member split + notices);
- ``build.max_output_mb`` (default 500): the estimated output, counted as
  :data:`VARIANT_BYTES` per email variant (its HTML and text) and
  :data:`PAGE_BYTES` per member-site page and printed letter (one per tier and
  rank in each locale).

A policy over either is refused with a problem on the key that multiplies
most, like any other policy problem (``rules.yaml:LINE:COL: key: …``).
"""

from __future__ import annotations

from otokui.policy.model import Policy

#: HTML and plain text of one email variant, rounded up from the example shop (about 27 KB).
VARIANT_BYTES = 32_000
#: One member-site page or printed letter, rounded up from the example shop.
PAGE_BYTES = 40_000

Found = list[tuple[tuple[str | int, ...], str]]


def estimated_bytes(policy: Policy, variants: int) -> int:
    tiers, ranks = len(policy.wording.purchase_count_tiers), len(policy.membership.ranks)
    pages = (tiers + ranks + 6) * len(policy.shop.locales)
    return variants * VARIANT_BYTES + pages * PAGE_BYTES


def check(policy: Policy) -> Found:
    """The cost problems of a structurally valid policy (none for any ordinary shop)."""
    from otokui.emails.variants import count_variants

    variants = count_variants(policy)
    limit = policy.build.max_variants
    factors = {
        ("wording", "purchase_count_tiers"): (len(policy.wording.purchase_count_tiers), "tiers"),
        ("membership", "ranks"): (len(policy.membership.ranks), "ranks"),
        ("notices",): (len(policy.notices), "notices"),
        ("shop", "locales"): (len(policy.shop.locales), "locales"),
    }
    blamed = max(factors, key=lambda key: factors[key][0])
    shape = ", ".join(f"{count:,} {noun}" for count, noun in factors.values())
    if variants > limit:
        return [
            (
                blamed,
                f"the policy makes {variants:,} email variants ({shape}), more than build.max_variants"
                f" ({limit:,}); use fewer {factors[blamed][1]}, or raise build.max_variants",
            )
        ]
    megabytes = -(-estimated_bytes(policy, variants) // 1_000_000)
    if megabytes > policy.build.max_output_mb:
        return [
            (
                blamed,
                f"the policy would make about {megabytes:,} MB of output ({variants:,} email variants, {shape}),"
                f" more than build.max_output_mb ({policy.build.max_output_mb:,}); use fewer"
                f" {factors[blamed][1]}, or raise build.max_output_mb",
            )
        ]
    return []
