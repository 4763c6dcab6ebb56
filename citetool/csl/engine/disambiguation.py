"""Adding names and given names to ambiguous cites, step by step as citeproc-js does.

CSL leaves the search open ("add names until the cites differ"); real bibliographies show
that the order matters, because citeproc-js's choice is visible in the bibliography too (MLA
prints there the names a citation needed). This is citeproc-js's ``CSL.Disambiguation``
run for its ``disNames`` mode, rewritten from its behaviour (``disambig/cites.js``):

* the cites of one clash group are ordered by their number of names, compared as
  JavaScript compares one-element arrays, i.e. as *strings* ("11" < "3"), then by id;
* one forward-only counter (``base``: names added, and per shown name a given-name level,
  0 as the style has it, 1 initials, 2 full) is moved one step at a time: the given name
  of the current name up to ``givens_max`` (by-cite given-name disambiguation only), then
  one more name, up to as many names as the first cite of the group has;
* after each step the first cite of the list is rendered with the counter and compared with
  the others; a step that tells cites apart is copied to ``better`` (the counter's last
  useful state), cites that are unique are given ``better`` for good, the rest is scanned
  again (the partners and non-partners of the first cite become two lists);
* when the counter is at its end with clashes left, the cites that still clash go to the
  next disambiguation method (year suffix, ``disambiguate="true"``) with ``better``, or,
  when there is none, keep it.

The result is written into ``processor.disambiguation`` (``add_names``: names shown beyond
et-al-use-first; ``given``: name index → level); what still clashes is returned.
"""

from __future__ import annotations

from typing import Any


class _Counter:
    """citeproc-js's ambiguity config for one nameset: names added, given-name levels."""

    def __init__(self, added: int = 0, givens: dict[int, int] | None = None) -> None:
        self.added = added
        self.givens = dict(givens or {})

    def copy(self) -> _Counter:
        return _Counter(self.added, self.givens)

    def config(self, shown: int | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.added:
            out["add_names"] = self.added
            if shown is not None:  # the names a citation shows then, counted from its first
                out["names_shown"] = shown + self.added
        givens = {i: level for i, level in self.givens.items() if level}
        if givens:
            out["given"] = givens
        return out


def _js_string_order(count: int, key: str) -> tuple[str, str]:
    # citeproc-js sorts [maxNames, item] pairs with a[0] > b[0] on one-element arrays,
    # which JavaScript compares as strings
    return str(count), key


def resolve_names(processor: Any, group: list[str], add_names: bool, add_given: bool,
                  more_methods: bool) -> list[list[str]]:
    """Run the names step over one clash group; return the groups still clashing."""
    counts = {key: processor.first_names_count(key) for key in group}
    order = sorted(group, key=lambda key: _js_string_order(counts[key], key))
    names_max = counts[order[0]]
    givens_max = 2 if add_given else None
    # given-name levels exist for as many names as the longest list of the group has
    givens_len = max(counts.values(), default=0)
    before = {key: dict(processor.disambiguation.get(key, {})) for key in group}

    base, better = _Counter(), _Counter()
    lists: list[list[str]] = [order]
    registered: dict[str, dict[str, Any]] = {}
    leftover: list[list[str]] = []
    init_givens = True
    done = False

    def render_all(keys: list[str]) -> list[str]:
        for key in keys:
            processor.disambiguation[key] = {**before[key], **base.config()}
        return [processor.render_for_disambiguation(key) for key in keys]

    shown = processor.citation_names_first()

    def register(key: str) -> None:
        registered[key] = better.config(shown)

    def capture(gname: int) -> None:
        """citeproc-js captureStepToBase: the step just taken was useful."""
        if givens_max is not None and gname < givens_len:
            better.givens[gname] = base.givens.get(gname, 0)
        better.added = base.added

    while lists and not done:
        gname = 0
        clashes = [1, 0]
        while lists and lists[0] and not done:
            # -- increment ---------------------------------------------------------
            maxed = False
            if init_givens:
                init_givens = False
            else:
                increment_names = givens_max is None
                if givens_max is not None:
                    level = base.givens.get(gname, 0) if gname < givens_len else None
                    if givens_len and level is not None and level < givens_max:
                        base.givens[gname] = level + 1
                    else:
                        increment_names = True
                if increment_names and add_names and gname < names_max:
                    base.added += 1
                    gname += 1
                level = base.givens.get(gname, 0) if gname < givens_len else None
                maxed = ((not add_names or gname == names_max)
                         and (givens_max is None or level is None or level == givens_max))
            # -- scan --------------------------------------------------------------
            items = lists[0]
            texts = render_all(items)
            partners = [items[0]] + [k for k, t in zip(items[1:], texts[1:], strict=True)
                                     if t == texts[0]]
            nonpartners = [k for k, t in zip(items[1:], texts[1:], strict=True)
                           if t != texts[0]]
            clashes = [clashes[1], len(partners) - 1]

            # -- evaluate (citeproc-js disNames) ------------------------------------
            if clashes[1] == 0 and len(nonpartners) == 1:
                capture(gname)
                register(nonpartners[0])
                register(partners[0])
                lists[0] = []
            elif clashes[1] == 0:
                capture(gname)
                register(partners[0])
                lists[0] = nonpartners
                if nonpartners:
                    init_givens = True
            elif len(nonpartners) == 1:
                capture(gname)
                register(nonpartners[0])
                lists[0] = partners
            elif clashes[1] < clashes[0]:
                capture(gname)
                lists[0] = partners
                lists.append(nonpartners)
            elif maxed:
                lists[0] = nonpartners
                lists.append(partners)
                if not more_methods:
                    for key in partners:
                        register(key)
                    lists[0] = []
            if maxed:
                if more_methods:
                    # the next method takes every list left, with the last useful counter
                    for keys in lists:
                        for key in keys:
                            register(key)
                    leftover = [keys for keys in lists if len(keys) > 1]
                    done = True
                elif len(lists) > 1:
                    lists[1] = []  # (citeproc-js resets the next list here)
                else:
                    lists.append([])  # (or makes an empty one: a list added later is third)
        lists = lists[1:]

    for key in group:
        if key in registered:
            processor.disambiguation[key] = {**before[key], **registered[key]}
        elif before[key]:
            processor.disambiguation[key] = before[key]
        else:
            processor.disambiguation.pop(key, None)
    still: list[list[str]] = []
    for keys in leftover:
        still.extend(processor.clashes_among(keys))
    if not leftover:
        still = processor.clashes_among(group)
    return still
