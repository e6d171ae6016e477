using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using Failover.Aws;

namespace Failover.Functions.Tests.Iam;

/// <summary>
/// Which client operations (methods carrying <see cref="IamActionAttribute"/>) a handler can reach, read from the
/// compiled IL: every call, constructor and delegate (ldftn) in the deployed assemblies is followed, async and
/// iterator bodies through their state machines. A call through a port interface reaches every implementation in
/// the deployed assemblies (the AWS adapters); a call of an abstract or virtual method of the handler's own base
/// class reaches the handler's override. The walk stops at an operation: what the client does inside is the wire.
/// </summary>
/// <remarks>
/// An over-approximation by construction (every branch counts, whatever the plan holds), which is what a role
/// must allow. What it cannot see: a delegate created outside the walk and invoked inside it, and reflection.
/// </remarks>
public sealed class CallGraph
{
    private static readonly Dictionary<ushort, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => unchecked((ushort)o.Value));

    private readonly HashSet<Assembly> _deployed;
    private readonly List<Type> _deployedTypes;

    /// <summary>A graph over <paramref name="deployed"/>, the assemblies of the deployment package.</summary>
    public CallGraph(IEnumerable<Assembly> deployed)
    {
        _deployed = [.. deployed];
        _deployedTypes = [.. _deployed.SelectMany(a => a.GetTypes())];
    }

    /// <summary>The deployment package: Functions, Aws and Core.</summary>
    public static CallGraph ForDeployment() => new([typeof(FunctionHost).Assembly, typeof(AwsClients).Assembly, typeof(Failover.Core.Plans.RecoveryPlan).Assembly]);

    /// <summary>Every operation reachable from <paramref name="entry"/>, with one call path to it (for messages).</summary>
    public IReadOnlyDictionary<MethodBase, string> OperationsReachedFrom(MethodInfo entry, Type handlerType)
    {
        var reached = new Dictionary<MethodBase, string>();
        var visited = new HashSet<MethodBase>();
        var queue = new Queue<(MethodBase Method, string Path)>();
        queue.Enqueue((entry, Name(entry)));
        while (queue.Count > 0)
        {
            var (method, path) = queue.Dequeue();
            if (!visited.Add(method))
            {
                continue;
            }

            if (method.GetCustomAttribute<IamActionAttribute>() is not null)
            {
                reached.TryAdd(method, path);
                continue;
            }

            if (!_deployed.Contains(method.Module.Assembly))
            {
                continue;
            }

            foreach (var body in Bodies(method))
            {
                foreach (var callee in Callees(body))
                {
                    foreach (var target in Targets(callee, handlerType))
                    {
                        queue.Enqueue((target, $"{path} → {Name(target)}"));
                    }
                }
            }
        }

        return reached;
    }

    private static string Name(MethodBase method) => $"{method.DeclaringType?.Name}.{method.Name}";

    // The method itself and, for async methods and iterators, the MoveNext of its state machine.
    private static IEnumerable<MethodBase> Bodies(MethodBase method)
    {
        yield return method;
        foreach (var attribute in method.GetCustomAttributes<StateMachineAttribute>())
        {
            if (attribute.StateMachineType.GetMethod("MoveNext", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic) is { } moveNext)
            {
                yield return moveNext;
            }
        }
    }

    private IEnumerable<MethodBase> Targets(MethodBase callee, Type handlerType)
    {
        var declaring = callee.DeclaringType;
        if (declaring is null || !_deployed.Contains(declaring.Assembly))
        {
            // Framework code: only delegates created in our code lead back into it, and those are ldftn's.
            yield break;
        }

        if (declaring.IsInterface)
        {
            var iface = Definition(declaring);
            foreach (var type in _deployedTypes.Where(t => t is { IsAbstract: false, IsInterface: false }))
            {
                foreach (var implemented in type.GetInterfaces().Where(i => Definition(i) == iface))
                {
                    var map = type.GetInterfaceMap(implemented);
                    for (var i = 0; i < map.InterfaceMethods.Length; i++)
                    {
                        if (SameMethod(map.InterfaceMethods[i], callee))
                        {
                            yield return map.TargetMethods[i];
                        }
                    }
                }
            }

            yield break;
        }

        if (callee is MethodInfo { IsVirtual: true, IsFinal: false } virtualMethod)
        {
            var baseDefinition = virtualMethod.GetBaseDefinition();
            if (DerivesFrom(handlerType, declaring))
            {
                // A call on the handler itself (StreamFunction.InvokeAsync → RunAsync): the handler's override.
                yield return Override(handlerType, baseDefinition) ?? callee;
                yield break;
            }

            foreach (var type in _deployedTypes.Where(t => !t.IsAbstract && DerivesFrom(t, declaring)))
            {
                if (Override(type, baseDefinition) is { } overriding)
                {
                    yield return overriding;
                }
            }

            if (!callee.IsAbstract)
            {
                yield return callee;
            }

            yield break;
        }

        yield return callee;
    }

    private static MethodInfo? Override(Type type, MethodInfo baseDefinition) => type
        .GetMethods(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
        .FirstOrDefault(m => SameMethod(m.GetBaseDefinition(), baseDefinition));

    private static bool SameMethod(MethodBase a, MethodBase b) => a.Module == b.Module && a.MetadataToken == b.MetadataToken;

    private static Type Definition(Type type) => type.IsGenericType ? type.GetGenericTypeDefinition() : type;

    private static bool DerivesFrom(Type type, Type ancestor)
    {
        var target = Definition(ancestor);
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (Definition(current) == target)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Methods and constructors named by call, callvirt, newobj, ldftn and ldvirtftn in the body.</summary>
    private static IEnumerable<MethodBase> Callees(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
        {
            yield break;
        }

        var typeArguments = method.DeclaringType is { IsGenericType: true } t ? t.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var position = 0;
        while (position < il.Length)
        {
            OpCode op;
            if (il[position] == 0xFE)
            {
                op = OpCodesByValue[(ushort)(0xFE00 | il[position + 1])];
                position += 2;
            }
            else
            {
                op = OpCodesByValue[il[position]];
                position += 1;
            }

            if (op.OperandType == OperandType.InlineMethod)
            {
                var token = BitConverter.ToInt32(il, position);
                MethodBase? callee;
                try
                {
                    callee = method.Module.ResolveMethod(token, typeArguments, methodArguments);
                }
                catch (ArgumentException)
                {
                    callee = null;
                }

                if (callee is not null)
                {
                    yield return callee;
                }
            }

            position += OperandSize(op.OperandType, il, position);
        }
    }

    private static int OperandSize(OperandType type, byte[] il, int position) => type switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, position)),
        _ => 4,
    };
}
