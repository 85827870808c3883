"""`formcheck serve`: the web page and its API on a local port (validator/web/, an extra:
`pip install ".[web]"`)."""

from __future__ import annotations

import tempfile

import click

from validator.cli_options import cap_options, limits_of
from validator.i18n import say

MESSAGES = {
    "no_web": {
        "zh": '网页服务需要额外的组件: pip install "formcheck[web]"(在本仓库中: pip install ".[web]")',
        "en": 'the web service needs its extra: pip install "formcheck[web]" (in this repository: pip install ".[web]")',
    },
    "pack": {"zh": "规则包有误,无法启动: {error}", "en": "the rule pack is broken, not started: {error}"},
    "listening": {
        "zh": "formcheck 网页服务: http://{host}:{port}/ (自查) 和 /review (审核);Ctrl-C 停止",
        "en": "formcheck web service: http://{host}:{port}/ (self-check) and /review (review); Ctrl-C stops it",
    },
}


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址 (内网开放: 0.0.0.0)")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--pack", "pack_path", type=click.Path(), help="规则包文件夹 (默认: 内置规则包)")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64), help="同时进行的检查数")
@click.option("--max-upload", default=200, show_default=True, type=click.IntRange(1), help="每个请求的上传上限 (MB)")
@click.option("--max-files", default=1000, show_default=True, type=click.IntRange(1), help="每个请求的文件数上限")
@click.option(
    "--timeout",
    default=60.0,
    show_default=True,
    type=click.FloatRange(0.1),
    help="每份报表的检查时限 (秒; 批量审核按文件数计, 至多十倍)",
)
@click.option(
    "--queue", default=16, show_default=True, type=click.IntRange(0), help="排队等候的请求数上限 (再多即答 503)"
)
@click.option("--max-connections", default=200, show_default=True, type=click.IntRange(1), help="同时保持的连接数上限")
@click.option(
    "--client-timeout",
    default=30.0,
    show_default=True,
    type=click.FloatRange(0.1),
    help="等候客户端发送请求头或上传中断的时限 (秒)",
)
@click.option(
    "--upload-rate",
    default=32.0,
    show_default=True,
    type=click.FloatRange(0.1),
    help="每个客户端上传的读取速度上限 (MB/秒)",
)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@cap_options
@click.pass_obj
def serve(streams, host, port, pack_path, lang, max_connections, **options):
    """运行自查和审核网页 / run the self-check and review web pages."""
    try:
        from validator.web import server
        from validator.web.app import make_app
    except ImportError:
        click.echo(say(MESSAGES, "no_web", lang), file=streams.stderr)
        return 2
    from validator.rules.pack import PackError, load_pack

    try:
        load_pack(pack_path)
    except PackError as exc:
        click.echo(say(MESSAGES, "pack", lang, error=exc.said), file=streams.stderr)
        return 2
    from validator.web import jobs

    # the fork server and the workers start before the first request, not during it
    jobs.context(pack_path, options["workers"])
    with tempfile.TemporaryDirectory(prefix="formcheck-serve-") as folder:
        # a request cut short by the end of the service leaves its folder: removed here with the rest
        settings = _settings(pack_path, folder, options)
        click.echo(say(MESSAGES, "listening", lang, host=host, port=port), file=streams.stderr)
        server.run(make_app(settings), host, port, max_connections, settings.client_timeout)
    return 0


def _settings(pack_path, folder: str, options: dict):
    from validator.web.app import Settings

    return Settings(
        pack=pack_path,
        folder=folder,
        workers=options["workers"],
        most_upload_mb=options["max_upload"],
        most_files=options["max_files"],
        timeout=options["timeout"],
        limits=limits_of(options),
        queue=options["queue"],
        client_timeout=options["client_timeout"],
        upload_rate_mb=options["upload_rate"],
    )
