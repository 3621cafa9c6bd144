namespace ActorRecorder.Actors;

/// <summary>What a supervisor does with a failed child.</summary>
public enum Directive
{
    /// <summary>Keep the actor and its state; the failing message is dropped.</summary>
    Resume,
    /// <summary>Replace the actor instance (same path and mailbox); the failing message is dropped.</summary>
    Restart,
    /// <summary>Stop the actor.</summary>
    Stop,
    /// <summary>Fail the supervisor itself with the same exception.</summary>
    Escalate,
}
