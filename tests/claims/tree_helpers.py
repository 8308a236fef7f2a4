"""The topic tree as the closure table should hold it, computed the slow way for comparison."""

from claims.models import Topic, TopicClosure


def branches_walked_from_parents() -> set[tuple[int, int]]:
    """(ancestor, descendant) for every topic and each topic above it, itself included."""
    parents = dict(Topic.objects.values_list("pk", "parent_id"))
    pairs = set()
    for topic in parents:
        ancestor = topic
        while ancestor is not None:
            pairs.add((ancestor, topic))
            ancestor = parents[ancestor]
    return pairs


def closure_pairs() -> set[tuple[int, int]]:
    return set(TopicClosure.objects.values_list("ancestor_id", "descendant_id"))
