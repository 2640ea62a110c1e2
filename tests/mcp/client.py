"""A real MCP client (the official Python SDK, `mcp` from PyPI) at an
incident's table: `incident mcp` started over stdio, acting for carol.

    python3 client.py BINARY DIR INCIDENT COMMANDER

Lists the tools (and that the people's are absent), reads the state,
writes a note, proposes a command, is refused before the go, has the
commander answer go through the command line, then runs it. Exits 0 when
every step held; otherwise says which did not.
"""

import asyncio
import os
import subprocess
import sys

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

READS = {"state", "brief", "catchup", "tail", "as_of", "bleeding"}
WRITES = {"note", "assume", "check", "propose", "run"}
# What only people do: none of these may be offered, by any name.
FORBIDDEN_WORDS = ["role", "claim", "status", "severity", "freeze", "break",
                   "merge", "cancel", "answer", "takeover", "take_over", "go"]


def text_of(result):
    return "\n".join(c.text for c in result.content if getattr(c, "type", "") == "text")


def failed(result):
    """Whether a tool said it failed (`is_error` in the SDK 2, `isError` in 1.x)."""
    flag = getattr(result, "is_error", None)
    return bool(getattr(result, "isError", False) if flag is None else flag)


def expect(cond, what, detail=""):
    if not cond:
        print(f"FAILED: {what}\n{detail}", file=sys.stderr)
        sys.exit(1)


async def main(binary, directory, incident, commander):
    env = {k: v for k, v in os.environ.items() if not k.startswith("INCIDENT_")}
    params = StdioServerParameters(
        command=binary,
        args=["--dir", directory, "--name", "carol", "mcp", "-i", incident],
        env=env,
    )
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()

            tools = {t.name for t in (await session.list_tools()).tools}
            expect(tools == READS | WRITES, "the tools offered", sorted(tools))
            for name in tools:
                for word in FORBIDDEN_WORDS:
                    expect(word not in name.split("_"), f"no tool for '{word}'", name)

            async def call(name, **args):
                return await session.call_tool(name, args)

            state = await call("state")
            s = text_of(state)
            expect(not failed(state), "state reads", s)
            expect(incident in s and "Commander: alice" in s, "state shows the incident and its commander", s)
            expect("Waiting for the commander's go: nothing" in s, "state shows no request waiting", s)
            for name, args in [("brief", {}), ("bleeding", {}), ("tail", {"lines": 5}),
                               ("catchup", {}), ("as_of", {"at": "#1"})]:
                r = await call(name, **args)
                expect(not failed(r), f"{name} reads", text_of(r))

            note = await call("note", text="error rate doubled at 14:02 \x1b[2J")
            expect(not failed(note) and "#" in text_of(note), "the note is written", text_of(note))

            proposed = await call(
                "propose",
                command=["sh", "-c", "cat; echo pods-ok; echo on-stderr >&2"],
                reason="see whether the pods are up",
            )
            p = text_of(proposed)
            expect(not failed(proposed) and "R1" in p, "the proposal is request R1", p)

            state = text_of(await call("state"))
            expect("R1 by assistant (for carol)" in state, "state shows the waiting proposal as the assistant's", state)

            early = await call("run", request="R1")
            e = text_of(early)
            expect(failed(early), "a run before the go is refused", e)
            expect("no go yet" in e and "alice" in e, "the refusal says why (the commander's go)", e)

            answered = subprocess.run(
                [binary, "--dir", directory, "--name", commander, "answer", "-i", incident, "R1", "go"],
                env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL,
            )
            expect(answered.returncode == 0, "the commander answers go", answered.stderr)

            ran = await call("run", request="R1")
            r = text_of(ran)
            expect(not failed(ran), "after the go it runs", r)
            expect("exit 0" in r and "pods-ok" in r and "on-stderr" in r, "the run returns its exit status and output", r)

            again = await call("run", request="R1")
            expect(failed(again) and "already ran" in text_of(again), "a go runs it once", text_of(again))

            tail = text_of(await call("tail", lines=10))
            expect("assistant (for carol)" in tail and "pods-ok" in tail, "tail shows the run with its output", tail)
    print("ok")


if __name__ == "__main__":
    # A hang (a command reading the protocol, a lost answer) fails, not waits.
    asyncio.run(asyncio.wait_for(main(*sys.argv[1:5]), timeout=120))
