// The node specs use POSIX signals, /proc and Unix file modes: Linux only, like the recorder itself.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
