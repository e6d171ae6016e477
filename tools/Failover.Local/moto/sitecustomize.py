"""Fixes to moto 5.2.1 that the local AWS needs, applied as moto_server starts (MotoServer puts this folder first on
PYTHONPATH, so Python's site module imports it; no other process gets it).

Step Functions, with execute_state_machine on: a second StartExecution of a state machine that has run before fails
with HTTP 500 ("TypeError: cannot pickle '_thread.RLock' object"). start_execution takes a snapshot of the state machine
with copy.deepcopy, and after a first run the state machine's executions hold a live worker thread and its lock.
Reported as getmoto/moto#10077 and fixed after 5.2.1 by getmoto/moto#10093 in the same way as here: the snapshot is
taken without the executions (an empty list stands in for them), which a new execution does not need. Without it the
local AWS could run each state machine once: a second drill on `failover local up` failed.

Step Functions, every JSONPath (InputPath, Parameters, ResultPath, a Choice's Variable): moto's parser compiles the path
each time it is read, and jsonpath_ng builds a new LALR parser (its PLY tables) for each compilation: 12-18 ms per path
on this machine against 0.3 ms to parse with a parser already built and 0.01 ms to evaluate. A run reads about 60 paths,
so the local workflow spent about a second in the emulator alone, time a real state machine does not add, and it
counted in every RTO the simulation reports. The parser is built once and each distinct path compiled once; what
a path selects is unchanged (the compiled expression is only read by find and update_or_create).

CloudWatch GetMetricData: for each query and each period, moto scans every datapoint of the account and region in the
time range, whatever its metric. The day keeps an hour of ReplicaLag per replica and one-second alarm datapoints, so at
200 replicas Prepare's one GetMetricData (200 queries, 20 periods each) took about 2 s, and each GetHealthCheckStatus the
day answers from its alarm's datapoints about 10 ms; CloudWatch answers a query from its own metric. Each query is now
answered by moto's own code from the datapoints of its metric alone (same namespace, name and dimensions, from an index
kept as datapoints are published); the statistics, units, periods and order of the answer are moto's. It also mends
moto matching a query with dimensions in any namespace (a metric is its namespace, name and dimensions: CloudWatch User
Guide, "Metrics concepts"). Queries with expressions are answered as before.

Step Functions, a Lambda task's InvocationType: moto's optimized Lambda integration keeps only ClientContext,
FunctionName, Qualifier, Payload and LogType of a task's Parameters, so `"InvocationType": "Event"` was dropped and the
function invoked synchronously: the workflow's asynchronous Notify start waited for the notice to be published (about
0.1 s of every simulated RTO). Step Functions passes it on: "it is possible to call Lambda asynchronously using the
InvocationType parameter" (AWS Step Functions Developer Guide, "Invoke an AWS Lambda function with Step Functions",
connect-lambda.html); Lambda then queues the event and answers 202 at once (Lambda Developer Guide, "Invoking a Lambda
function asynchronously"). The parameter is now passed on.

Step Functions, every StartExecution: the execution's thread parses the whole definition with ANTLR before its first
event, about 42 ms for the workflow's 30 KB on this machine (plus 14 ms to build its states), and the same again for
each CreateStateMachine. The syntax tree of each distinct definition is now kept (it is only read); the states are
still built afresh for each execution, so no execution shares any state with another, and a definition with syntax
errors is refused each time as before.

Every service's first answer: moto loads a botocore model (a service's shapes, and its paginators the first time it
answers a paginated call) with a new botocore loader each time, and a new loader lists every model of every service on
disk before it loads one: about 3,400 file checks, 24 ms on this machine, inside the first DescribeDBInstances,
ListExecutions or DescribeAlarms of the day and so inside the simulated RTO. One loader now serves every load; it lists
the models once, as moto_server starts. It is moto's loader (moto's own paginators first, as before).

Step Functions, every Lambda task: moto's engine made a new boto3 Lambda client for each invocation (about 3-5 ms, and
a new connection to the gateway each time), and the first one of the process also loaded botocore's Lambda model and
made boto3's default session: about 70 ms, inside the first task of the first execution, which is Prepare on the day.
moto makes every such client alike (fixed keys, the same endpoint and settings; the task's credentials are not used),
so one client per region now serves every Lambda task: a client, once made, is thread-safe ("Multithreading or
multiprocessing with clients", boto3 documentation, guide/clients.html), so Parallel branches share it. The client of a state machine's
region is made when the state machine is created, before any execution needs it.

Every request: moto's dispatcher asks whether the request's host names one of its services by listing moto's package
folder (an isdir for each of its 180 entries), and does it under the one lock that every request passes. A sampler
inside moto_server found request threads waiting on that lock in most of its samples at scale, where up to ten
requests arrive at once (a hundred health checks answered from metrics, two hundred databases read). The folder does
not change while the server runs: it is listed once, as moto_server starts, and the answers are moto's own. The same
sampler found werkzeug logging every request line to stderr (through colorama's ANSI conversion) in 7% of its
samples; the MotoProcess that started the server kept every line in memory for the process's life. Request lines are
no longer logged; warnings and errors are, as before.

SNS, each subscription's first delivery: SNS signs every message it delivers (SignatureVersion 2: SHA256 with RSA), with
a certificate Amazon SNS issues (Amazon SNS Developer Guide, "Verifying the signatures of Amazon SNS messages",
sns-verify-signature-of-message.html). moto made a new RSA-2048 key for each subscription the first time it delivered to
it: 13-117 ms of CPU on this machine (the prime search varies), inside the day's first notice, Notify start, which runs
beside Prepare's successors on a machine of two cores. One key, made on a thread of its own as moto_server starts, now
signs every delivery; the messages, their signatures and certificates are otherwise moto's. moto also signed a new
X.509 certificate with that key for every message it delivered (13 ms of CPU each on this machine: Notify recovery's
notice lands between the servers' recovery and the traffic switch); SNS serves one certificate at each message's
SigningCertURL, so the key's first certificate now serves every message, and each signature verifies with it.

Step Functions, each path's first compilation: with the parser built once and each path compiled once (above), the
compilation still built a new PLY lexer for the path, and PLY validates the lexer's module as it builds one, reading
the module's source (file checks and source lookups): 3-4 ms for each of the 23 distinct paths of a run, all paid by
the first run of the moto_server, which on the day is the failover itself, most of them on its way to the first
recovery step and to the traffic switch. Each lexer class is now built once and copied for each path (PLY's own
clone, the state stack each copy's own); the tokens, and so the compiled paths, are the same. The first path of each
parser still built its lexer class (4 ms for JSONPath, 15 ms for ResultPath), and a moto_server's first execution is
the day's run: its first state waited for both. Both are now built on a thread of their own as moto_server starts.

Step Functions, every StartExecution: with the syntax tree kept (above), the execution's thread still built the
definition's states before its first event (14-19 ms for the workflow's on this machine), so the run's first step,
Prepare, waited for it. The states of the next execution are now built ahead, on a thread of their own, as the state
machine is created and after each execution ends; an execution takes them, or builds its own when none is ready (two
at once). No execution shares states with another, as before: what is built ahead serves one execution only.

Every answer with a body: moto's response serializer walks each structure of the answer's botocore shape member by
member, and for each member asks six alias rules which names the value may have on the Python object (the member's
name, its snake_case form, the shape's serialization name, the name less the shape's or class's prefix), then parses
every timestamp held as text back into a date. A Step Functions history is about 90 events of a shape with 60
members: 31 ms of CPU to serialize on this machine, on the one interpreter that also runs the workflow's states and
answers every call of the run, and the simulation reads the history once a second, as `failover status --watch` does.
The names a member may have depend only on the member's shape, its structure, the object's class and the alias rules,
none of which changes while the server runs: they are now worked out once for each and kept, and a timestamp text is
parsed once (the last 4,096 kept). The answers are moto's own, byte for byte: 31 ms becomes 12 ms for that history,
and DescribeDBInstances of four instances 6.4 ms becomes 4.0 ms. An object that carries its own aliases (a Meta on
the instance) is looked up as before.
"""

import copy as _copy
import functools as _functools
import logging as _logging
import threading as _threading


class _SnapshotWithoutExecutions:
    """The copy module as moto's Step Functions parser sees it, except that deepcopy leaves executions out."""

    def deepcopy(self, value, memo=None):
        memo = {} if memo is None else memo
        executions = getattr(value, "executions", None)
        if isinstance(executions, list):
            memo[id(executions)] = []
        return _copy.deepcopy(value, memo)

    def __getattr__(self, name):
        return getattr(_copy, name)


def _patch_step_functions_parser():
    try:
        from moto.stepfunctions.parser import models
    except ImportError:
        # Not moto_server's interpreter, or a moto without the parser: nothing to fix.
        return
    models.copy = _SnapshotWithoutExecutions()

    from jsonpath_ng.ext.parser import ExtendedJsonPathParser
    from jsonpath_ng.parser import JsonPathParser
    from moto.stepfunctions.parser.asl.component.common.path import result_path
    from moto.stepfunctions.parser.asl.utils import json_path

    json_path.parse = _compiling_each_path_once(ExtendedJsonPathParser)
    result_path.parse = _compiling_each_path_once(JsonPathParser)


def _patch_json_path_lexer():
    try:
        import jsonpath_ng._ply.lex as ply_lex
        from jsonpath_ng.lexer import JsonPathLexer
    except ImportError:
        return
    build = ply_lex.lex
    built = {}
    one_at_a_time = _threading.Lock()

    def lex(module=None, **kwargs):
        if not isinstance(module, JsonPathLexer):
            return build(module=module, **kwargs)
        key = (type(module), module.debug)
        with one_at_a_time:
            if key not in built:
                built[key] = build(module=module, **kwargs)
        # A copy shares the built tables; the state stack is each copy's own (quoted names push and pop states).
        copy = built[key].clone(module)
        copy.lexstatestack = []
        copy.begin("INITIAL")
        return copy

    ply_lex.lex = lex


# The name of the thread that builds the JSONPath lexers ahead of the first path.
_PATH_LEXERS_MADE_AHEAD = "path lexers made ahead"


def _patch_path_lexers_made_ahead():
    try:
        from moto.stepfunctions.parser.asl.component.common.path import result_path
        from moto.stepfunctions.parser.asl.utils import json_path
    except ImportError:
        return

    def make_ahead():
        # Each parser's lexer class is built on its first path ("$" stays compiled, as any path would).
        json_path.parse("$")
        result_path.parse("$")

    # Not a daemon, as the SNS key's thread: an interpreter that ends meanwhile waits for it.
    _threading.Thread(target=make_ahead, name=_PATH_LEXERS_MADE_AHEAD).start()


def _compiling_each_path_once(parser_class):
    """A parse function like jsonpath_ng's that builds its parser once (used by one thread at a time: a PLY parser
    keeps state while it parses; Parallel branches run on threads of their own) and compiles each distinct path once."""
    parser = parser_class()
    one_at_a_time = _threading.Lock()

    @_functools.lru_cache(maxsize=4096)
    def parse(path):
        with one_at_a_time:
            return parser.parse(path)

    return parse


def _patch_cloudwatch_metric_data():
    try:
        from moto.cloudwatch.models import CloudWatchBackend
    except ImportError:
        return
    every_datapoint_scanned = CloudWatchBackend.get_metric_data

    def get_metric_data(self, queries, start_time, end_time, scan_by="TimestampAscending"):
        if any("MetricStat" not in query for query in queries):
            return every_datapoint_scanned(self, queries, start_time, end_time, scan_by)
        by_metric = _published_by_metric(self)
        computed = self.aws_metric_data
        answers = []
        for query in queries:
            metric = query["MetricStat"]["Metric"]
            dimensions = frozenset((d["Name"], d["Value"]) for d in metric.get("Dimensions", []))
            wanted = (metric["Namespace"], metric["MetricName"])
            if dimensions:
                datapoints = list(by_metric.get(wanted + (dimensions,), ()))
            else:
                # Without dimensions moto matches the metric's datapoints whatever their dimensions.
                datapoints = [d for key, data in list(by_metric.items()) if key[:2] == wanted for d in data]
            datapoints += [d for d in computed if _metric_key(d)[:2] == wanted and (not dimensions or _metric_key(d)[2] == dimensions)]
            answers.extend(every_datapoint_scanned(_OneMetric(self, datapoints), [query], start_time, end_time, scan_by))
        return answers

    CloudWatchBackend.get_metric_data = get_metric_data


_indexing = _threading.Lock()


def _published_by_metric(backend):
    """The published datapoints grouped by metric. moto only appends to metric_data (put_metric_data), so the index
    takes in what was appended since it last looked; a new list (a reset backend) is indexed afresh."""
    with _indexing:
        index = backend.__dict__.get("_failover_index")
        data = backend.metric_data
        if index is None or index["data"] is not data or index["seen"] > len(data):
            index = backend._failover_index = {"data": data, "seen": 0, "by_metric": {}}
        for datum in data[index["seen"]:]:
            index["by_metric"].setdefault(_metric_key(datum), []).append(datum)
        index["seen"] = len(data)
        return index["by_metric"]


def _metric_key(datum):
    """The metric a datapoint belongs to: namespace, name and dimensions."""
    return datum.namespace, datum.name, frozenset((d.name, d.value) for d in datum.dimensions)


class _OneMetric:
    """A CloudWatch backend as get_metric_data sees it, holding only the datapoints of one query's metric."""

    def __init__(self, backend, datapoints):
        self._backend = backend
        self._datapoints = datapoints

    def get_all_metrics(self):
        return self._datapoints

    def __getattr__(self, name):
        return getattr(self._backend, name)


def _patch_lambda_invocation_type():
    try:
        from moto.stepfunctions.parser.asl.component.state.exec.state_task.service import state_task_service_lambda
    except ImportError:
        return
    state_task_service_lambda._SUPPORTED_API_PARAM_BINDINGS["invoke"].add("InvocationType")


def _patch_definition_parsing():
    try:
        from antlr4 import CommonTokenStream, InputStream
        from moto.stepfunctions.parser.asl.antlr.runtime.ASLLexer import ASLLexer
        from moto.stepfunctions.parser.asl.antlr.runtime.ASLParser import ASLParser
        from moto.stepfunctions.parser.asl.parse import asl_parser
        from moto.stepfunctions.parser.asl.parse.preprocessor import Preprocessor
    except ImportError:
        return

    @_functools.lru_cache(maxsize=32)
    def syntax_tree(definition):
        # As moto's AmazonStateLanguageParser.parse does; an exception is not cached, so a bad definition fails each time.
        errors = asl_parser.SyntaxErrorListener()
        parser = ASLParser(CommonTokenStream(ASLLexer(InputStream(definition))))
        parser.removeErrorListeners()
        parser.addErrorListener(errors)
        tree = parser.state_machine()
        if errors.errors:
            raise asl_parser.ASLParserException(errors=errors.errors)
        return tree

    def parse(definition):
        tree = syntax_tree(definition)
        return Preprocessor().visit(tree), tree

    asl_parser.AmazonStateLanguageParser.parse = staticmethod(parse)


def _patch_model_loading():
    try:
        from moto.core import utils
        from moto.core.loaders import create_loader
    except ImportError:
        return
    loader = create_loader()
    for type_name in ("service-2", "paginators-1"):
        loader.list_available_services(type_name)
    utils._load_service_model = loader.load_service_model


def _patch_lambda_clients():
    try:
        from moto.stepfunctions.parser import models
        from moto.stepfunctions.parser.asl.component.state.exec.state_task import lambda_eval_utils
    except ImportError:
        return
    make_client = lambda_eval_utils.boto_client_for
    clients = {}
    # boto3.client uses boto3's default session, which is not safe to use from two threads at once (boto/boto3#1592):
    # the client made ahead of time must not race an execution's first task.
    creating = _threading.Lock()

    def lambda_client(region):
        client = clients.get(region)
        if client is None:
            with creating:
                client = clients.get(region)
                if client is None:
                    client = clients[region] = make_client(region=region, service="lambda")
        return client

    def client_for(region, service, state_credentials=None):
        return lambda_client(region) if service == "lambda" else make_client(region=region, service=service, state_credentials=state_credentials)

    lambda_eval_utils.boto_client_for = client_for
    create_state_machine = models.StepFunctionsParserBackend.create_state_machine

    def create_and_ready_client(self, *args, **kwargs):
        created = create_state_machine(self, *args, **kwargs)
        _threading.Thread(target=lambda_client, args=(self.region_name,), daemon=True).start()
        return created

    models.StepFunctionsParserBackend.create_state_machine = create_and_ready_client


# The name of the threads that build an execution's program ahead of it.
MADE_AHEAD = "program made ahead"


def _patch_programs_made_ahead():
    try:
        from collections import OrderedDict
        from moto.stepfunctions.parser import models
        from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser
        from moto.stepfunctions.parser.backend.execution_worker import ExecutionWorker
    except ImportError:
        return
    made_ahead = OrderedDict()  # definition -> a program no execution has used
    guard = _threading.Lock()

    def make_ahead(definition):
        try:
            program = AmazonStateLanguageParser.parse(definition)[0]
        except Exception:
            return  # refused again, as moto refuses it, when an execution needs it
        with guard:
            made_ahead[definition] = program
            made_ahead.move_to_end(definition)
            while len(made_ahead) > 32:
                made_ahead.popitem(last=False)

    def make_ahead_on_the_side(definition):
        _threading.Thread(target=make_ahead, args=(definition,), name=MADE_AHEAD, daemon=True).start()

    entrypoint = ExecutionWorker._get_evaluation_entrypoint

    def entrypoint_made_ahead(self):
        with guard:
            program = made_ahead.pop(self._evaluation_details.state_machine_details.definition, None)
        return program if program is not None else entrypoint(self)

    execution_logic = ExecutionWorker._execution_logic

    def execution_logic_then_make_ahead(self):
        try:
            execution_logic(self)
        finally:
            make_ahead_on_the_side(self._evaluation_details.state_machine_details.definition)

    ExecutionWorker._get_evaluation_entrypoint = entrypoint_made_ahead
    ExecutionWorker._execution_logic = execution_logic_then_make_ahead
    create_state_machine = models.StepFunctionsParserBackend.create_state_machine

    def create_and_make_ahead(self, *args, **kwargs):
        created = create_state_machine(self, *args, **kwargs)
        make_ahead_on_the_side(created.definition)
        return created

    models.StepFunctionsParserBackend.create_state_machine = create_and_make_ahead


def _patch_service_lookup():
    try:
        from moto import backends
    except ImportError:
        return
    services = tuple(backends.list_of_moto_modules())
    backends.list_of_moto_modules = lambda: services
    # werkzeug sets its logger to INFO only while the level is unset.
    _logging.getLogger("werkzeug").setLevel(_logging.WARNING)


def _patch_sns_signing_key():
    try:
        from moto.sns import models
    except ImportError:
        return
    made = {}

    def make():
        from cryptography.hazmat.primitives.asymmetric import rsa

        made["key"] = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    # Not a daemon: an interpreter that ends while the key is being made waits for it (a daemon thread cut off inside
    # the key generation aborts the process).
    maker = _threading.Thread(target=make)
    maker.start()

    def private_key(self):
        maker.join()
        return made["key"]

    models.Subscription.private_key = private_key
    models.cryptography = _OneCertificatePerKey(models.cryptography)


class _OneCertificatePerKey:
    """The cryptography package as moto's SNS sees it, except that a certificate is signed once for each key."""

    def __init__(self, package):
        self._package = package
        self.x509 = _CertificateBuilders(package.x509)

    def __getattr__(self, name):
        return getattr(self._package, name)


class _CertificateBuilders:
    """cryptography.x509 whose CertificateBuilder signs the first certificate of a key and gives it for the key after."""

    def __init__(self, x509):
        self._x509 = x509
        self._signed = {}
        self._signing = _threading.Lock()

    def CertificateBuilder(self):  # noqa: N802 - the name moto calls
        return _CertificateRequest(self, self._x509.CertificateBuilder())

    def signed(self, builder, key, *args, **kwargs):
        with self._signing:
            held = self._signed.get(id(key))
            if held is None or held[0] is not key:
                held = self._signed[id(key)] = (key, builder.sign(key, *args, **kwargs))
            return held[1]

    def __getattr__(self, name):
        return getattr(self._x509, name)


class _CertificateRequest:
    """A certificate builder whose every step keeps it a request of the same builders, and whose sign asks them."""

    def __init__(self, builders, builder):
        self._builders = builders
        self._builder = builder

    def sign(self, key, *args, **kwargs):
        return self._builders.signed(self._builder, key, *args, **kwargs)

    def __getattr__(self, name):
        step = getattr(self._builder, name)
        return lambda *args, **kwargs: _CertificateRequest(self._builders, step(*args, **kwargs))


def _patch_response_serializer():
    try:
        from moto.core import serialize
        from moto.core.utils import get_value
    except ImportError:
        return
    names_by_member = {}

    def names_of(picker, context):
        value = context.obj
        if picker.alias_providers is not serialize.DEFAULT_ALIAS_PROVIDERS or "Meta" in getattr(value, "__dict__", ()):
            return tuple(picker.get_possible_keys(context))
        shape = context.shape
        member = (type(picker), type(value), shape, getattr(shape, "parent", None), context.key)
        names = names_by_member.get(member)
        if names is None:
            names = names_by_member[member] = tuple(picker.get_possible_keys(context))
        return names

    def pick(self, context):
        value = context.obj
        picked = None
        plain = type(value) is dict
        for name in names_of(self, context):
            found = value.get(name, serialize.MISSING) if plain and "." not in name else get_value(value, name, serialize.MISSING)
            if found is not serialize.MISSING:
                picked = found
                break
        if self.response_transformers:
            key_path = f"{context.key_path}.{context.key}"
            for transform_path, transform in self.response_transformers.items():
                if key_path.endswith(transform_path):
                    return transform(picked)
        return picked

    serialize.AttributePicker.__call__ = pick

    convert = serialize.TimestampSerializer._convert_timestamp_to_str

    @_functools.lru_cache(maxsize=4096)
    def convert_text(serializer_type, default_format, text, timestamp_format):
        return convert(serializer_type(default_format), text, timestamp_format)

    def convert_timestamp(self, value, timestamp_format):
        if isinstance(value, str):
            return convert_text(type(self), self.default_format, value, timestamp_format)
        return convert(self, value, timestamp_format)

    serialize.TimestampSerializer._convert_timestamp_to_str = convert_timestamp


_patch_step_functions_parser()
_patch_json_path_lexer()
_patch_path_lexers_made_ahead()
_patch_cloudwatch_metric_data()
_patch_lambda_invocation_type()
_patch_definition_parsing()
_patch_model_loading()
_patch_lambda_clients()
_patch_programs_made_ahead()
_patch_service_lookup()
_patch_sns_signing_key()
_patch_response_serializer()
