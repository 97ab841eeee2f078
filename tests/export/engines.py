"""The reference engines the exported templates are rendered with, one process per batch.

Each function takes ``(template, data)`` jobs and returns the rendered outputs
(or raises :class:`EngineError` with the engine's own message). Where an engine
is missing, :func:`need` skips the test with the reason, and fails it under
``CI=true``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from typing import Any

import pytest

Job = tuple[str, dict[str, Any]]


class EngineError(RuntimeError):
    pass


_LIQUID = r"""
require "json"
require "liquid"
module ShopMoney
  # Shopify's `money`: amounts in the currency's subunit (x100), written with the shop's money format
  def money(cents)
    units = (cents.to_i / 100.0).round
    digits = units.abs.to_s.reverse.scan(/\d{1,3}/).join(",").reverse
    format = @context["shop_money_format"] || "{{amount_no_decimals}}"
    format.sub("{{amount_no_decimals}}", (units < 0 ? "-" : "") + digits)
  end
end
Liquid::Template.register_filter(ShopMoney)
out = JSON.parse(STDIN.read).map do |job|
  begin
    template = Liquid::Template.parse(job["template"], error_mode: :strict)
    {"ok" => template.render!(job["data"], strict_variables: false)}
  rescue => e
    {"error" => e.message}
  end
end
STDOUT.write(JSON.generate(out))
"""


def _missing(kind: str) -> str | None:
    if kind == "liquid":
        if not shutil.which("ruby"):
            return "ruby is not installed (apt-get install ruby ruby-liquid)"
        probe = subprocess.run(["ruby", "-e", 'require "liquid"'], capture_output=True, check=False)
        return "ruby-liquid is not installed (apt-get install ruby-liquid)" if probe.returncode else None
    if kind == "twig":
        if not shutil.which("php"):
            return "php is not installed (apt-get install php-cli php-twig)"
        probe = subprocess.run(
            ["php", "-r", 'require "/usr/share/php/Twig/autoload.php";'], capture_output=True, check=False
        )
        return "php-twig is not installed (apt-get install php-twig)" if probe.returncode else None
    if kind == "django":
        try:
            import django  # noqa: F401
        except ImportError:
            return "Django is not installed (pip install -e .[test])"
        return None
    raise ValueError(kind)


def need(kind: str) -> None:
    """Skip (or, under CI=true, fail) unless the reference engine ``kind`` can run."""
    reason = _missing(kind)
    if reason:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"reference engine needed under CI=true: {reason}")
        pytest.skip(reason)


def _run(command: list[str], jobs: list[Job]) -> list[str]:
    payload = json.dumps([{"template": t, "data": d} for t, d in jobs], ensure_ascii=False)
    done = subprocess.run(command, input=payload.encode(), capture_output=True, check=False, timeout=300)
    if done.returncode:
        raise EngineError(done.stderr.decode(errors="replace")[-2000:])
    results = json.loads(done.stdout)
    outputs = []
    for result in results:
        if "error" in result:
            raise EngineError(result["error"])
        outputs.append(result["ok"])
    return outputs


def liquid(jobs: list[Job]) -> list[str]:
    """Render Liquid templates with Debian's ruby-liquid (strict parsing), Shopify's ``money`` filter added."""
    return _run(["ruby", "-e", _LIQUID], jobs)


_TWIG = r"""
require "/usr/share/php/Twig/autoload.php";
$jobs = json_decode(stream_get_contents(STDIN), true);
$out = [];
foreach ($jobs as $job) {
    try {
        $loader = new \Twig\Loader\ArrayLoader(["mail" => $job["template"]]);
        $env = new \Twig\Environment($loader, ["autoescape" => "html", "strict_variables" => false]);
        // EC-CUBE's text-mail strategy: values as they are
        $env->getExtension(\Twig\Extension\EscaperExtension::class)->setEscaper(
            "safe_textmail", function ($env, $string, $charset) { return $string; }
        );
        // EC-CUBE's |price: the amount with the shop's currency format
        $env->addFilter(new \Twig\TwigFilter("price", function ($context, $value) {
            $format = $context["otk_money_format"] ?? "%s";
            return sprintf($format, number_format((float) $value));
        }, ["needs_context" => true]));
        $out[] = ["ok" => $env->render("mail", $job["data"])];
    } catch (\Throwable $e) {
        $out[] = ["error" => get_class($e) . ": " . $e->getMessage()];
    }
}
echo json_encode($out, JSON_UNESCAPED_UNICODE);
"""


def twig(jobs: list[Job]) -> list[str]:
    """Render Twig templates with Debian's php-twig, EC-CUBE's ``price`` filter and ``safe_textmail`` added."""
    return _run(["php", "-r", _TWIG], jobs)


def django(jobs: list[Job]) -> list[str]:
    """Render with Django's template engine, configured standalone, Klaviyo's ``lookup`` filter added."""
    from django.conf import settings

    if not settings.configured:
        settings.configure(USE_I18N=False, USE_TZ=False)
    import django as django_module
    from django.template import Context, Engine

    django_module.setup()
    engine = Engine(builtins=["tests.export.klaviyo_tags"], autoescape=True, string_if_invalid="")
    outputs = []
    for source, data in jobs:
        try:
            outputs.append(engine.from_string(source).render(Context(data)))
        except Exception as error:  # the engine's own message, as the platform would show it
            raise EngineError(f"{type(error).__name__}: {error}") from error
    return outputs
