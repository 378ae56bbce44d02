// COOPMAP_ISM: In-silico knockouts of motif sites through a model (optionally one row slice: meta.shard = 'K/N').
// The command line follows stage "ism" of workflows/stages.yaml (tests/nextflow.bats checks it);
// the stage options come from task.ext.args (conf/modules.config).
process COOPMAP_ISM {
    tag "${meta.id}"
    label 'process_high'

    conda "${moduleDir}/environment.yml"
    container "${ workflow.containerEngine == 'singularity' || workflow.containerEngine == 'apptainer' ? 'coopmap.sif' : 'localhost/coopmap:0.1.0' }"

    input:
    tuple val(meta), path(pairs), path(sources), path(model), path(genome), path(genome_index)

    output:
    tuple val(meta), path("*.effects.tsv"), emit: effects
    path "versions.yml", emit: versions

    when:
    task.ext.when == null || task.ext.when

    script:
    def args = task.ext.args ?: ''
    def prefix = task.ext.prefix ?: "${meta.id}"
    def shard = meta.shard ? "--shard ${meta.shard}" : ''
    """
    coopmap-ism --model ${model} --genome ${genome} --sources ${sources} --pairs ${pairs} ${args} ${shard} --threads ${task.cpus} -o ${prefix}.effects.tsv

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        coopmap: \$(coopmap-ism --version | sed 's/^coopmap-ism //')
    END_VERSIONS
    """

    stub:
    def prefix = task.ext.prefix ?: "${meta.id}"
    """
    touch ${prefix}.effects.tsv
    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        coopmap: \$(coopmap-ism --version | sed 's/^coopmap-ism //')
    END_VERSIONS
    """
}
