using TwinCluster.Grains.Interfaces;
using TwinCluster.Grains.Security;
using TwinCluster.Wire;

namespace TwinCluster.Dashboard.Services;

/// <summary>What an action returned: the alert, or why it was refused.</summary>
public sealed record AlertActionResult(TwinAlert? Alert, string? Error);

/// <summary>
/// Acknowledging from the dashboard: checked with the user's role and scope first, recorded with the user's name (the
/// alert keeps who and when) and in the audit log, as the API does.
/// </summary>
public sealed class AlertActions(IGrainFactory grains, DashboardUser user, IAuditLog audit, TimeProvider time)
{
    public async Task<AlertActionResult> AcknowledgeAsync(string twinId, string? note)
    {
        var name = await user.NameAsync();
        if (!await user.CanAcknowledge(twinId))
        {
            await audit.RecordAsync(new AuditEntry(time.GetUtcNow(), name, "alert.acknowledge", twinId, twinId, AuditEntry.Denied, "dashboard"));
            return new AlertActionResult(null, $"{name} may not acknowledge {twinId}'s alerts");
        }

        try
        {
            var alert = await grains.GetTwin(new TwinId(twinId)).AcknowledgeAlert(name, string.IsNullOrWhiteSpace(note) ? null : note.Trim());
            await audit.RecordAsync(new AuditEntry(time.GetUtcNow(), name, "alert.acknowledge", twinId, twinId, AuditEntry.Ok, $"dashboard: alert {alert.Number} at {alert.Level}"));
            return new AlertActionResult(alert, null);
        }
        catch (TwinOperationException ex)
        {
            await audit.RecordAsync(new AuditEntry(time.GetUtcNow(), name, "alert.acknowledge", twinId, twinId, AuditEntry.Failed, ex.Message));
            return new AlertActionResult(null, ex.Message);
        }
    }
}
