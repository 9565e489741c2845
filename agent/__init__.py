"""The device-side agent: classifier, policy, daemon, native-messaging host. Keep this file empty of imports: the native host must start fast."""
