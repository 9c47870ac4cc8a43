"""Deploying a built site to a branch of a real (local, bare) git repository."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from backstory.build.deploy import deploy_site, redact
from backstory.errors import DeployError

SITE = {
    "index.html": "<h1>Home</h1>\n",
    "stories/river-bridge/index.html": "<h1>Why River Town closed its bridge</h1>\n",
    "actors/ana-lopez/index.html": "<h1>Ana López</h1>\n",
    "assets/backstory.css": "body { margin: 0; }\n",
    "feed.xml": "<feed/>\n",
}
TEST_IDENTITY = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.org",
}


def git(repository: Path, *arguments: str) -> str:
    result = subprocess.run(
        ["git", "-C", str(repository), *arguments],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **TEST_IDENTITY},
    )
    return result.stdout


def files_on(bare: Path, ref: str) -> list[str]:
    return git(bare, "ls-tree", "-r", "--name-only", ref).split()


def write_site(folder: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def bare(tmp_path: Path) -> Path:
    repository = tmp_path / "remote.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(repository)], check=True)
    return repository


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_site(tmp_path / "site", SITE)


def test_first_deploy_starts_the_branch_with_the_site(bare: Path, site: Path) -> None:
    report = deploy_site(site, bare.as_uri())
    assert report.commit == git(bare, "rev-parse", "gh-pages").strip()
    assert files_on(bare, "gh-pages") == sorted([*SITE, ".nojekyll"])
    assert (
        git(bare, "show", "gh-pages:stories/river-bridge/index.html")
        == SITE["stories/river-bridge/index.html"]
    )
    assert (
        git(bare, "show", "gh-pages:actors/ana-lopez/index.html")
        == SITE["actors/ana-lopez/index.html"]
    )
    assert git(bare, "cat-file", "-s", "gh-pages:.nojekyll").strip() == "0"
    assert report.added == tuple(sorted([*SITE, ".nojekyll"]))
    assert (report.modified, report.deleted) == ((), ())
    # An orphan branch: no parent, made by Backstory.
    assert git(bare, "rev-list", "--count", "gh-pages").strip() == "1"
    assert git(bare, "log", "-1", "--format=%an <%ae>|%cn <%ce>|%s", "gh-pages").strip() == (
        "Backstory <backstory@localhost>|Backstory <backstory@localhost>|Publish the site with Backstory"
    )


def test_a_changed_file_is_the_only_change(bare: Path, site: Path) -> None:
    first = deploy_site(site, bare.as_uri())
    (site / "stories" / "river-bridge" / "index.html").write_text(
        "<h1>Updated</h1>\n", encoding="utf-8"
    )
    second = deploy_site(site, bare.as_uri(), message="Update the bridge story")
    assert first.commit and second.commit and first.commit != second.commit
    assert git(bare, "diff", "--name-only", first.commit, second.commit).split() == [
        "stories/river-bridge/index.html"
    ]
    assert second.changed == ("stories/river-bridge/index.html",)
    assert second.modified == ("stories/river-bridge/index.html",)
    # History is kept: the new commit sits on top of the last one.
    assert git(bare, "rev-parse", f"{second.commit}^").strip() == first.commit
    assert git(bare, "log", "-1", "--format=%s", "gh-pages").strip() == "Update the bridge story"


def test_an_unchanged_site_makes_no_commit(bare: Path, site: Path) -> None:
    first = deploy_site(site, bare.as_uri())
    second = deploy_site(site, bare.as_uri())
    assert second.commit is None and not second.published and second.changed == ()
    assert git(bare, "rev-parse", "gh-pages").strip() == first.commit


def test_a_file_gone_from_the_site_is_deleted(bare: Path, site: Path) -> None:
    deploy_site(site, bare.as_uri())
    (site / "feed.xml").unlink()
    report = deploy_site(site, bare.as_uri())
    assert report.deleted == ("feed.xml",)
    assert "feed.xml" not in files_on(bare, "gh-pages")
    assert ".nojekyll" in files_on(bare, "gh-pages")


def test_other_branches_are_left_alone(tmp_path: Path, bare: Path, site: Path) -> None:
    source = tmp_path / "source"
    source.mkdir()
    git(source, "init", "--quiet")
    (source / "README.md").write_text("source\n", encoding="utf-8")
    git(source, "add", "README.md")
    git(source, "commit", "--quiet", "-m", "source")
    git(source, "push", "--quiet", bare.as_uri(), "HEAD:refs/heads/main")
    main = git(bare, "rev-parse", "main").strip()

    deploy_site(site, bare.as_uri(), branch="pages")
    assert git(bare, "rev-parse", "main").strip() == main
    assert "README.md" not in files_on(bare, "pages")
    assert git(bare, "rev-list", "--count", "pages").strip() == "1"


def test_ignore_rules_do_not_hide_site_files(bare: Path, site: Path) -> None:
    (site / ".gitignore").write_text("*.html\n*.css\n", encoding="utf-8")
    deploy_site(site, bare.as_uri())
    assert "index.html" in files_on(bare, "gh-pages")
    assert "assets/backstory.css" in files_on(bare, "gh-pages")


def test_author_can_be_configured(bare: Path, site: Path) -> None:
    deploy_site(site, bare.as_uri(), author="Night Desk <desk@news.example.org>")
    assert (
        git(bare, "log", "-1", "--format=%an <%ae>", "gh-pages").strip()
        == "Night Desk <desk@news.example.org>"
    )
    with pytest.raises(DeployError, match="Name <email>"):
        deploy_site(site, bare.as_uri(), author="nobody")


def test_git_failures_become_deploy_errors_with_gits_words(tmp_path: Path, site: Path) -> None:
    missing = (tmp_path / "no-such-repository.git").as_uri()
    with pytest.raises(DeployError) as caught:
        deploy_site(site, missing)
    assert str(caught.value).startswith("git ls-remote failed: ")
    assert caught.value.stderr
    assert caught.value.stderr in str(caught.value)
    assert "repository" in caught.value.stderr


def test_a_rejected_push_is_a_deploy_error(tmp_path: Path, bare: Path, site: Path) -> None:
    hook = bare / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'pushes are closed today' >&2\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)
    with pytest.raises(DeployError, match="pushes are closed today"):
        deploy_site(site, bare.as_uri())


def test_a_missing_site_folder_is_a_deploy_error(tmp_path: Path, bare: Path) -> None:
    with pytest.raises(DeployError, match="build the site first"):
        deploy_site(tmp_path / "site", bare.as_uri())


def test_tokens_in_remote_urls_are_not_shown() -> None:
    assert (
        redact("https://x-access-token:s3cret@github.com/o/r.git")
        == "https://x-access-token:***@github.com/o/r.git"
    )
    assert redact("git@github.com:o/r.git") == "git@github.com:o/r.git"
    assert redact("file:///tmp/r.git") == "file:///tmp/r.git"


def test_a_failing_remote_with_a_token_does_not_show_it(site: Path) -> None:
    with pytest.raises(DeployError) as caught:
        deploy_site(site, "https://x-access-token:s3cret@127.0.0.1:9/r.git")
    assert "s3cret" not in str(caught.value) and "s3cret" not in caught.value.stderr


def test_a_plain_path_works_as_a_remote(bare: Path, site: Path) -> None:
    first = deploy_site(site, str(bare))
    (site / "index.html").write_text("<h1>Home, again</h1>\n", encoding="utf-8")
    second = deploy_site(site, str(bare))
    assert second.changed == ("index.html",)
    assert git(bare, "rev-parse", f"{second.commit}^").strip() == first.commit


def test_deploying_a_site_after_one_changed_fact_changes_only_what_shows_it(
    small_site: Path, bare: Path
) -> None:
    from click.testing import CliRunner

    from backstory.cli import cli

    def deploy() -> str:
        result = CliRunner().invoke(
            cli, ["--root", str(small_site), "deploy", "--remote", bare.as_uri()]
        )
        assert result.exit_code == 0, result.stderr
        return git(bare, "rev-parse", "gh-pages").strip()

    first = deploy()
    published = files_on(bare, "gh-pages")
    assert {"index.html", ".nojekyll", "stories/river-bridge/index.html"} <= set(published)
    quote = small_site / "content" / "quotes" / "lopez-safety.yml"
    quote.write_text(quote.read_text().replace("we will not wait", "we shall not wait"))
    second = deploy()
    changed = set(git(bare, "diff", "--name-only", first, second).split())
    # The pages that show the quote (its speaker's, the disputing speaker's, its event's, its
    # story's), the JSON that holds it, and the search index; nothing else. The sources page
    # lists the stories that rely on each source, not the words of each quote.
    search = {path for path in changed if path.startswith("pagefind/")}
    assert changed - search == {
        "actors/ana-lopez/index.html",
        "actors/ben-okafor/index.html",
        "api/index.json",
        "events/council-vote/index.html",
        "stories/river-bridge/index.html",
        "api/quotes/lopez-safety.json",
        "api/stories/river-bridge.json",
    }
    # The search index's files are named by their content: the records of the changed pages
    # and the quote, the word index and the list that names them; its code stays as it was.
    assert search and all(
        path.startswith(("pagefind/fragment/", "pagefind/index/", "pagefind/pagefind."))
        or path == "pagefind/pagefind-entry.json"
        for path in search
    ), search
    assert "pagefind/pagefind.js" not in search
