"""Two Ray nodes (both on 127.0.0.1): the actors spread over them, the drafts are the
local engine's."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.scale.conftest import RAY_ENVIRONMENT
from tests.scale.test_ray import batch

pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(600),
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
]


def test_a_two_node_cluster_gives_the_same_drafts(tmp_path: Path) -> None:
    os.environ.update(RAY_ENVIRONMENT)
    ray = pytest.importorskip("ray")
    from ray.cluster_utils import Cluster

    local = batch(tmp_path, "local", count=4)
    node = {"num_cpus": 1, "include_dashboard": False, "node_ip_address": "127.0.0.1"}
    cluster = Cluster(initialize_head=True, head_node_args=node)
    try:
        cluster.add_node(num_cpus=1, node_ip_address="127.0.0.1")
        ray.init(address=cluster.address, log_to_driver=False)
        assert len([n for n in ray.nodes() if n["Alive"]]) == 2
        remote = batch(tmp_path, "ray", count=4, workers=2, concurrency=2)
    finally:
        ray.shutdown()
        cluster.shutdown()
    assert remote == local
