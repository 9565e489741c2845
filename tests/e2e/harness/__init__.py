"""Building blocks of the real-browser end-to-end tests, shared with `python -m bench.browser`.

One module per concept: the fixture sites and their host names (sites), the TLS certificate (tls), the
HTTPS server that serves the fixture pages and records what they send (site_server), the esbuild step
for the fixture editors (fixture_build), the agent daemon process (agent_process), the Chromium profile
with the extension and the native host (browser), real user input (user_input) and the closed shadow
root of the inline UI, reached through the DevTools protocol (shadow_ui).
"""
