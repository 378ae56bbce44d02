// COOPMAP_CONVERTMODEL: Convert a PyTorch checkpoint (.pth) or numpy archive (.npz) into a coopmap model file.
// The command line follows stage "convert_model" of workflows/stages.yaml (tests/nextflow.bats checks it);
// the stage options come from task.ext.args (conf/modules.config).
process COOPMAP_CONVERTMODEL {
    tag "${meta.id}"
    label 'process_single'

    conda "${moduleDir}/environment.yml"
    container "${ workflow.containerEngine == 'singularity' || workflow.containerEngine == 'apptainer' ? 'coopmap.sif' : 'localhost/coopmap:0.1.0' }"

    input:
    tuple val(meta), path(checkpoint)

    output:
    tuple val(meta), path("*.cmm"), emit: model
    path "versions.yml", emit: versions

    when:
    task.ext.when == null || task.ext.when

    script:
    def args = task.ext.args ?: ''
    def prefix = task.ext.prefix ?: "${meta.id}"
    def heads = meta.heads instanceof List ? meta.heads.join(',') : meta.heads
    """
    coopmap-convert-model ${checkpoint} --heads ${heads} --input-length ${meta.input_length} -o ${prefix}.cmm

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        coopmap: \$(coopmap-convert-model --version | sed 's/^coopmap-convert-model //')
    END_VERSIONS
    """

    stub:
    def prefix = task.ext.prefix ?: "${meta.id}"
    """
    touch ${prefix}.cmm
    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        coopmap: \$(coopmap-convert-model --version | sed 's/^coopmap-convert-model //')
    END_VERSIONS
    """
}
