"""The deployment files (deploy/, .env.example): checked without starting anything."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
SECRET_NAME = re.compile(r"PASSWORD|SECRET|TOKEN|ACCOUNT_SID")
DUMMY_SECRETS = {
    name: "test-only-not-a-secret"
    for name in (
        "TRACKER_DB_PASSWORD",
        "CLINIC_DB_PASSWORD",
        "REDIS_PASSWORD",
        "WEBCHAT_SECRET",
        "POSTGRES_SUPERUSER_PASSWORD",
    )
}


def env_example() -> dict[str, str]:
    pairs = [
        line.split("=", 1)
        for line in (ROOT / ".env.example").read_text().splitlines()
        if line and not line.startswith("#") and "=" in line
    ]
    return {key: value for key, value in pairs}


def referenced_variables(path: Path) -> set[str]:
    code = "\n".join(line.split(" #")[0] for line in path.read_text().splitlines() if not line.lstrip().startswith("#"))
    return set(re.findall(r"\$\{([A-Z_][A-Z0-9_]*)", code))


def test_env_example_names_every_variable_and_holds_no_secret():
    example = env_example()
    for path in (DEPLOY / "endpoints.production.yml", DEPLOY / "credentials.production.yml", DEPLOY / "compose.yml"):
        missing = referenced_variables(path) - set(example)
        assert not missing, f"{path.name} uses variables .env.example does not name: {sorted(missing)}"
    secrets = {key: value for key, value in example.items() if SECRET_NAME.search(key) and value}
    assert not secrets, f".env.example holds values for secrets: {sorted(secrets)}"


def test_production_channels_are_the_public_ones_only():
    channels = yaml.safe_load((DEPLOY / "credentials.production.yml").read_text())
    assert "rest" not in channels and "socketio" not in channels
    assert not any("local_rest" in name or "LocalRest" in name for name in channels)
    assert "rasa_server.channels.webchat.WebChatInput" in channels


def test_production_endpoints_use_postgresql_redis_and_the_action_gateway():
    endpoints = yaml.safe_load((DEPLOY / "endpoints.production.yml").read_text())
    assert endpoints["tracker_store"]["type"] == "rasa_server.stores.tracker_store.PrivateSQLTrackerStore"
    assert endpoints["tracker_store"]["dialect"] == "postgresql"
    assert endpoints["lock_store"]["type"] == "rasa_server.stores.lock_store.RedisTicketLockStore"
    assert endpoints["action_endpoint"]["url"] == "${ACTION_ENDPOINT_URL}"
    text = (DEPLOY / "endpoints.production.yml").read_text()
    # Rasa expands ${VAR} only in plain (unquoted) YAML scalars.
    assert not re.search(r"[\"']\$\{", text), "a quoted ${VAR} is not expanded by Rasa"


def compose(*arguments: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    if (
        shutil.which("docker") is None
        or subprocess.run(["docker", "compose", "version"], capture_output=True).returncode
    ):
        pytest.skip("the docker compose plugin is not installed")
    return subprocess.run(
        ["docker", "compose", "--env-file", ".env.example", "-f", "deploy/compose.yml", *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=120,
    )


def test_compose_file_validates_and_publishes_nginx_only():
    completed = compose("config", env=DUMMY_SECRETS)
    assert completed.returncode == 0, completed.stderr
    services = yaml.safe_load(completed.stdout)["services"]
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"nginx"}
    for name, service in services.items():
        if name != "admin":
            assert service.get("deploy", {}).get("resources", {}).get("limits"), f"{name} has no resource limits"
    assert "--enable-api" not in str(services["rasa-1"])


def test_compose_refuses_to_start_without_the_secrets():
    completed = compose("config", env={name: "" for name in DUMMY_SECRETS})
    assert completed.returncode != 0 and "required variable" in completed.stderr


def render(tmp_path: Path, **overrides: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "RASA_SERVERS": "127.0.0.1:5101 127.0.0.1:5102",
        "ACTION_SERVERS": "127.0.0.1:5151",
        "NGINX_LISTEN": "127.0.0.1:18480",
        "ACTION_GATEWAY_LISTEN": "127.0.0.1:15150",
        "WIDGET_DIR": str(ROOT / "widget"),
        "NGINX_RUN_DIR": str(tmp_path),
        **overrides,
    }
    return subprocess.run(
        ["sh", str(DEPLOY / "nginx" / "render.sh"), str(tmp_path / "nginx.conf")],
        env=env,
        capture_output=True,
        text=True,
    )


def test_nginx_configuration_renders_and_nginx_accepts_it(tmp_path):
    assert render(tmp_path).returncode == 0
    conf = (tmp_path / "nginx.conf").read_text()
    assert "hash $conversation_key" in conf and "server 127.0.0.1:5102" in conf
    assert not re.search(r"\$\{[A-Z_]+\}", conf), "a variable was left unfilled"
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if nginx is None:
        pytest.skip("nginx is not installed")
    checked = subprocess.run(
        [nginx, "-t", "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr


def test_nginx_render_refuses_a_reply_text_that_would_break_the_json(tmp_path):
    assert render(tmp_path, ACTION_UNAVAILABLE_TEXT='say "hi"').returncode != 0


def kubernetes_documents() -> list[dict]:
    documents = []
    for path in sorted((DEPLOY / "kubernetes").glob("*.yaml")):
        documents += [d for d in yaml.safe_load_all(path.read_text()) if d]
    return documents


def test_kubernetes_workloads_have_health_checks_and_resource_limits():
    workloads = [d for d in kubernetes_documents() if d["kind"] in ("Deployment", "StatefulSet")]
    assert {d["metadata"]["name"] for d in workloads} >= {"clinic-rasa", "clinic-actions", "clinic-gateway"}
    for workload in workloads:
        for container in workload["spec"]["template"]["spec"]["containers"]:
            where = f"{workload['metadata']['name']}/{container['name']}"
            assert {"cpu", "memory"} <= set(container["resources"]["limits"]), f"{where}: no limits"
            assert "livenessProbe" in container, f"{where}: no liveness probe"
    assert not [d for d in kubernetes_documents() if d["kind"] == "Secret"], "secrets are not committed"
    rasa = next(d for d in workloads if d["metadata"]["name"] == "clinic-rasa")
    assert rasa["spec"]["replicas"] >= 2


def test_images_are_python_3_10_with_the_lock_file_and_not_root():
    dockerfile = (DEPLOY / "docker" / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.10", dockerfile, re.M)
    assert "-c requirements/constraints.txt" in dockerfile
    stages = re.split(r"^FROM ", dockerfile, flags=re.M)
    for stage in stages:
        if re.match(r"\S+ AS (rasa|actions)\b", stage):
            assert re.search(r"^USER clinic$", stage, re.M), stage.splitlines()[0]


def rasa_image_copies() -> set[str]:
    dockerfile = (DEPLOY / "docker" / "Dockerfile").read_text()
    rasa_stage = next(
        stage for stage in re.split(r"^FROM ", dockerfile, flags=re.M) if re.match(r"\S+ AS rasa\b", stage)
    )
    return {word for line in rasa_stage.splitlines() if line.startswith("COPY ") for word in line.split()[1:-1]}


def holds(copied: set[str], path: str) -> bool:
    return path in copied or any(path.startswith(folder) for folder in copied if folder.endswith("/"))


def test_the_rasa_image_holds_the_classes_the_production_endpoints_name():
    endpoints = yaml.safe_load((DEPLOY / "endpoints.production.yml").read_text())
    modules = {
        section["type"].rsplit(".", 1)[0]
        for section in endpoints.values()
        if isinstance(section, dict) and "." in str(section.get("type", ""))
    }
    assert modules >= {"rasa_server.stores.tracker_store", "rasa_server.stores.lock_store"}
    copied = rasa_image_copies()
    for module in modules:
        assert holds(copied, module.replace(".", "/") + ".py"), f"the rasa image lacks {module}"


def project_packages_imported_by(package: str) -> set[str]:
    """The repository's top-level packages that ``package``'s modules import, followed transitively."""
    local = {path.parent.name for path in ROOT.glob("*/__init__.py")}
    seen, todo = set(), [package]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        for source in (ROOT / current).rglob("*.py"):
            for name in re.findall(r"^\s*(?:from|import) (\w+)", source.read_text(), re.M):
                if name in local:
                    todo.append(name)
    return seen


def test_the_rasa_image_holds_its_own_package_and_what_it_imports_and_nothing_of_the_action_server():
    copied = rasa_image_copies()
    needed = project_packages_imported_by("rasa_server")
    assert needed == {"rasa_server", "contract"}, "the Rasa server imports only itself and the shared contract"
    for package in needed:
        assert f"{package}/" in copied, f"the rasa image lacks {package}/"
    assert not [path for path in copied if path.startswith("actions")], "the rasa image cherry-picks actions/"


def test_the_actions_image_holds_the_knowledge_base_the_rules_are_checked_against():
    dockerfile = (DEPLOY / "docker" / "Dockerfile").read_text()
    actions_stage = next(
        stage for stage in re.split(r"^FROM ", dockerfile, flags=re.M) if re.match(r"\S+ AS actions\b", stage)
    )
    assert re.search(r"^COPY docs/clinical-kb\.md docs/$", actions_stage, re.M)
    assert "!docs/clinical-kb.md" in (DEPLOY / "docker" / "Dockerfile.dockerignore").read_text()


def test_the_tracker_store_keeps_a_failed_statements_values_out_of_its_errors(tmp_path):
    import sqlalchemy as sa
    from rasa.shared.core.domain import Domain

    from rasa_server.stores.tracker_store import PrivateSQLTrackerStore

    store = PrivateSQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "tracker.db"))
    with pytest.raises(sa.exc.DBAPIError) as failure:
        with store.engine.connect() as connection:
            connection.execute(
                sa.text("insert into no_such_table values (:text)"), {"text": "my phone is 07700 900123"}
            )
    assert "07700 900123" not in str(failure.value)
    assert "no_such_table" in str(failure.value)
