namespace ActorRecorder.Hocon;

internal static class SaturatingWeight
{
    public static long Add(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;
}
