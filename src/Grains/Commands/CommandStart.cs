using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Commands;

/// <summary>What <see cref="CommandTracker.Begin"/> decided: send (a new id) or only wait, and the outcome to come.</summary>
public readonly record struct CommandStart(bool Send, Task<CommandResult> Result);
