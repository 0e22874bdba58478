// Tests use the fake Slack through the test support module, as before it moved into Sources.
@_exported import DebriefFakeSlack
